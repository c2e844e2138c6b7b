// The transport when consumers die, leave or run long, for describeTransportSuite: SIGKILL
// mid-batch, a slow handler kept alive, and a graceful SIGTERM drain.
import { sleep, waitFor } from '@peerfed/platform/servers';
import { laneKey, laneKeys } from '../lib/stream-keys.util';
import { ChildConsumer } from './child-consumer.util';
import { FAST, type TestHandler, deferred, groupState, uniqueContract } from './stream-test.util';
import { type TransportRig } from './transport-rig.util';

export function consumerLifecycleTests(rig: TransportRig): void {
  it('loses nothing when a consumer process is killed with SIGKILL mid-batch', async () => {
    const contract = uniqueContract('crash');
    const producer = rig.client();
    const total = 150;
    const envelopeIds = await rig.publishMany(producer, contract, total);
    // Handlers long enough that the ones seen in flight cannot all finish before the SIGKILL lands.
    const child = startChildConsumer(rig, contract.stream, 'doomed', 300);
    // Killed while it holds messages: some done, several started and not finished.
    await waitFor(() => child.done.size >= 30 && child.started.size - child.done.size >= 5, {
      timeoutMs: 20_000,
      intervalMs: 5,
      description: `the child to be mid-batch ${child.errorOutput}`,
    });
    child.kill('SIGKILL');
    await child.exited;
    const inFlight = [...child.started].filter((id) => !child.done.has(id));
    expect(inFlight.length).toBeGreaterThan(0);

    const survivor: Array<{ id: string; deliveries: number }> = [];
    await rig.server([{ contract, handle: (_d, ctx) => void survivor.push({ id: ctx.getIdempotencyKey(), deliveries: ctx.getDeliveryCount() }) }], {
      consumer: 'survivor',
    });
    await waitFor(
      async () => {
        const handled = new Set([...child.done, ...survivor.map((s) => s.id)]);
        const state = await groupState(rig.target.admin, laneKeys(contract.stream), 'workers');
        return envelopeIds.every((id) => handled.has(id)) && state.pending === 0;
      },
      { timeoutMs: 15_000, description: 'every message handled and acknowledged' },
    );
    const state = await groupState(rig.target.admin, laneKeys(contract.stream), 'workers');
    expect(state).toEqual({ pending: 0, entriesRead: total });
    // The messages the dead process held came back through XAUTOCLAIM, as second deliveries.
    const reclaimed = survivor.filter((s) => inFlight.includes(s.id));
    expect(reclaimed.length).toBe(inFlight.length);
    expect(reclaimed.every((s) => s.deliveries >= 2)).toBe(true);
  });

  it('keeps a handler that outlasts claimIdleMs to itself: no other consumer reclaims and reruns it', async () => {
    const contract = uniqueContract('slow');
    const started: Array<{ consumer: string; seq: number; deliveries: number }> = [];
    let done = 0;
    // Three times claimIdleMs (FAST: 400 ms); the janitors of both run every ~150 ms.
    const slow = (consumer: string): TestHandler => async (data, ctx) => {
      started.push({ consumer, seq: data.seq, deliveries: ctx.getDeliveryCount() });
      await sleep(1200);
      done++;
    };
    await rig.server([{ contract, handle: slow('slow-a') }], { consumer: 'slow-a' });
    await rig.server([{ contract, handle: slow('slow-b') }], { consumer: 'slow-b' });
    const producer = rig.client();
    await Promise.all([0, 1, 2].map((seq) => producer.publishMessage(contract, { seq })));
    await waitFor(async () => done === 3 && (await groupState(rig.target.admin, laneKeys(contract.stream), 'workers')).pending === 0, {
      timeoutMs: 10_000,
      description: 'three slow messages handled and acknowledged',
    });
    expect(started.map((s) => s.seq).sort()).toEqual([0, 1, 2]);
    expect(started.every((s) => s.deliveries === 1)).toBe(true);
  });

  it('stops keeping alive a handler that runs past 5 x claimIdleMs: taken for hung, it is retried elsewhere', async () => {
    const contract = uniqueContract('hung');
    const release = deferred();
    let hungStarted = false;
    const retried: number[] = [];
    await rig.server([{ contract, handle: async () => ((hungStarted = true), await release.promise) }], { consumer: 'hung-a' });
    const producer = rig.client();
    await producer.publishMessage(contract, { seq: 1 });
    await waitFor(() => hungStarted, { timeoutMs: 5_000, description: 'the hanging handler to start' });
    await rig.server([{ contract, handle: (_d, ctx) => void retried.push(ctx.getDeliveryCount()) }], { consumer: 'hung-b' });
    // FAST: claimIdleMs 400 ms, so kept alive for about 2 s, then reclaimed by the other consumer.
    await waitFor(() => retried.length === 1, { timeoutMs: 8_000, description: 'the hung entry retried by the other consumer' });
    expect(retried[0]).toBeGreaterThanOrEqual(2);
    release.resolve();
  });

  it('drains in-flight work on SIGTERM (graceful close) and loses nothing', async () => {
    const contract = uniqueContract('term');
    const producer = rig.client();
    const total = 150;
    const envelopeIds = await rig.publishMany(producer, contract, total);
    const child = startChildConsumer(rig, contract.stream, 'leaving', 40);
    await waitFor(() => child.done.size >= 30, { timeoutMs: 20_000, description: `the child to handle 30 messages ${child.errorOutput}` });
    child.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.isClosed).toBe(true);
    // Everything it started, it finished and acknowledged before exiting.
    expect([...child.started].filter((id) => !child.done.has(id))).toEqual([]);
    const pendingOfChild = (await rig.target.admin.xpending(laneKey(contract.stream, 'medium'), 'workers', '-', '+', 1000, 'leaving')) as unknown[];
    expect(pendingOfChild).toEqual([]);

    const rest: string[] = [];
    await rig.server([{ contract, handle: (_d, ctx) => void rest.push(ctx.getIdempotencyKey()) }], { consumer: 'next' });
    await waitFor(() => child.done.size + rest.length >= total, { timeoutMs: 10_000 });
    expect(new Set([...child.done, ...rest])).toEqual(new Set(envelopeIds));
    expect(child.done.size + rest.length).toBe(total);
  });
}

/** A consumer in a child process (20 handlers in flight, reads of 10), killed after the test if still alive. */
function startChildConsumer(rig: TransportRig, stream: string, consumer: string, handlerDelayMs: number): ChildConsumer {
  const child = ChildConsumer.spawn({ connection: rig.target.connection, stream, handlerDelayMs, options: { ...FAST, consumer, concurrency: 20, maxBatchSize: 10 } });
  rig.track({ close: () => child.kill('SIGKILL') });
  return child;
}
