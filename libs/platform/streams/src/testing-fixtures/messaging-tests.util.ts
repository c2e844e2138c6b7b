// The transport's messaging guarantees, for describeTransportSuite: delivery per group, Nest
// handlers, validation, idempotency keys, dead letters, priorities, group recovery and trimming.
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { PRIORITIES, createEnvelope, type Priority } from '@peerfed/shared/contracts';
import { waitFor } from '@peerfed/platform/servers';
import { Registry } from 'prom-client';
import { lastValueFrom } from 'rxjs';
import { DeadLetterRepository } from '../lib/dead-letters.repository';
import { OutboundMessage } from '../lib/outbound-message.dto';
import { RedisStreamsContext } from '../lib/redis-streams-context.types';
import { RequestTimeoutException } from '../lib/request-timeout.exception';
import { RethrowRpcExceptionFilter } from '../lib/rethrow-rpc-exception.filter';
import { RedisStreamsServer as Server } from '../lib/redis-streams.server';
import { laneKey, laneKeys } from '../lib/stream-keys.util';
import { trimStream } from '../lib/stream-trim.util';
import { FAST, TestEvent, deferred, groupState, rawAdd, uniqueContract } from './stream-test.util';
import { type TransportRig } from './transport-rig.util';

const nestContract = uniqueContract('nest');
const nestRequests = uniqueContract('nest-rpc');
const nestSeen: Array<{ seq: number; id: string; priority: Priority; deliveries: number }> = [];

@Controller()
class NestProbeController {
  @EventPattern<string>(nestContract.stream, { contract: nestContract })
  onEvent(@Payload() data: TestEvent, @Ctx() ctx: RedisStreamsContext): void {
    nestSeen.push({ seq: data.seq, id: ctx.getIdempotencyKey(), priority: ctx.getPriority(), deliveries: ctx.getDeliveryCount() });
  }

  @MessagePattern<string>(nestRequests.stream, { contract: nestRequests })
  async double(@Payload() data: TestEvent): Promise<{ doubled: number }> {
    if (data.seq === 666) throw new Error(`cannot double ${data.seq}`);
    await Promise.resolve();
    return { doubled: data.seq * 2 };
  }
}

@Module({ controllers: [NestProbeController] })
class NestProbeModule {}

export function messagingTests(rig: TransportRig): void {
  it('delivers each message once per group, and every message to every group', async () => {
    const contract = uniqueContract();
    const a: number[] = [];
    const b: number[] = [];
    const other: number[] = [];
    await rig.server([{ contract, handle: (d) => void a.push(d.seq) }], { consumer: 'a' });
    await rig.server([{ contract, handle: (d) => void b.push(d.seq) }], { consumer: 'b' });
    await rig.server([{ contract, handle: (d) => void other.push(d.seq), group: 'auditors' }], { consumer: 'c' });
    const producer = rig.client();
    const total = 300;
    await Promise.all(Array.from({ length: total }, (_, seq) => producer.publishMessage(contract, { seq })));
    await waitFor(() => a.length + b.length === total && other.length === total, { timeoutMs: 10_000, description: 'all deliveries' });
    const workers = [...a, ...b].sort((x, y) => x - y);
    expect(workers).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect([...other].sort((x, y) => x - y)).toEqual(workers);
    await waitFor(async () => (await groupState(rig.target.admin, laneKeys(contract.stream), 'workers')).pending === 0);
  });

  it('runs Nest controllers: events with their context, request/reply, and a timeout naming the pattern', async () => {
    const app: INestMicroservice = await NestFactory.createMicroservice(NestProbeModule, {
      strategy: new Server({ ...rig.target.connection, group: 'nest', registry: new Registry(), ...FAST }),
      logger: false,
    });
    app.useGlobalFilters(new RethrowRpcExceptionFilter());
    rig.track({ close: () => app.close() });
    await app.listen();
    const producer = rig.client({ requestTimeoutMs: 2000 });
    const message = new OutboundMessage(nestContract, { seq: 7 }, { priority: 'high' });
    const entryId = await lastValueFrom(producer.emit<string>(nestContract.stream, message));
    expect(entryId).toMatch(/^\d+-\d+$/);
    await waitFor(() => nestSeen.length === 1);
    expect(nestSeen[0]).toEqual({ seq: 7, id: message.envelope.id, priority: 'high', deliveries: 1 });

    await expect(producer.request(nestRequests, { seq: 21 })).resolves.toEqual({ doubled: 42 });
    await expect(producer.request(nestRequests, { seq: 666 })).rejects.toEqual({ status: 'error', message: 'Error: cannot double 666' });
    // A failed request is answered once and dead-lettered, not retried behind the caller's back.
    const [dead] = await new DeadLetterRepository(rig.target.admin).list(nestRequests.stream);
    expect(dead).toMatchObject({ group: 'nest', reason: 'handler-error', error: 'Error: cannot double 666', deliveries: 1 });

    const nobody = uniqueContract('unserved');
    const impatient = rig.client({ requestTimeoutMs: 300 });
    const failure = await impatient.request(nobody, { seq: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RequestTimeoutException);
    expect((failure as Error).message).toBe(`No reply to request "${nobody.stream}" within 300 ms`);
  });

  it('emit() rejects an invalid payload before writing (validateOnPublish) and resolves once the entry is stored', async () => {
    const contract = uniqueContract();
    const producer = rig.client({ contracts: [contract], validateOnPublish: true });
    await expect(lastValueFrom(producer.emit(contract.stream, { seq: -5 }))).rejects.toThrow(/invalid message: payload.seq/);
    const id = await lastValueFrom(producer.emit<string>(contract.stream, { seq: 5 }));
    const stored = (await rig.target.admin.xrange(laneKey(contract.stream, 'medium'), id, id)) as Array<[string, string[]]>;
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0][1][1])).toMatchObject({ type: 'test.event', schemaVersion: 1, payload: { seq: 5 } });
  });

  it('hands the same envelope id to both deliveries of a duplicated publication', async () => {
    const contract = uniqueContract();
    const deliveries: Array<{ key: string; messageId: string }> = [];
    const effects = new Map<string, number>();
    await rig.server([
      {
        contract,
        handle: (d, ctx) => {
          deliveries.push({ key: ctx.getIdempotencyKey(), messageId: ctx.getMessageId() });
          // What the Postgres processed-message table does: the effect keyed by the envelope id.
          if (!effects.has(ctx.getIdempotencyKey())) effects.set(ctx.getIdempotencyKey(), d.seq);
        },
      },
    ]);
    const producer = rig.client();
    const message = new OutboundMessage(contract, { seq: 1 });
    const first = await producer.publishMessage(contract, { seq: 0 }, { id: message.envelope.id, traceId: message.envelope.traceId });
    const second = await lastValueFrom(producer.emit<string>(contract.stream, message));
    await waitFor(() => deliveries.length === 2);
    expect(first).not.toBe(second);
    expect(deliveries.map((d) => d.key)).toEqual([message.envelope.id, message.envelope.id]);
    expect(new Set(deliveries.map((d) => d.messageId))).toEqual(new Set([first, second]));
    expect([...effects.entries()]).toEqual([[message.envelope.id, 0]]);
  });

  it('dead-letters a poison message after maxDeliveries with its error, and replays it', async () => {
    const contract = uniqueContract();
    const registry = new Registry();
    let healthy = false;
    const handled: Array<{ seq: number; deliveries: number }> = [];
    const s = await rig.server(
      [
        {
          contract,
          handle: (d, ctx) => {
            if (!healthy && d.seq === 13) throw new Error(`cannot handle ${d.seq}`);
            handled.push({ seq: d.seq, deliveries: ctx.getDeliveryCount() });
          },
        },
      ],
      { maxDeliveries: 3, registry },
    );
    const producer = rig.client();
    await producer.publishMessage(contract, { seq: 13 }, { priority: 'low' });
    await producer.publishMessage(contract, { seq: 14 }, { priority: 'low' });
    const deadLetters = new DeadLetterRepository(rig.target.admin);
    await waitFor(async () => (await deadLetters.count(contract.stream)) === 1, { timeoutMs: 10_000, description: 'the dead letter' });
    const [dead] = await deadLetters.list(contract.stream);
    expect(dead).toMatchObject({
      group: 'workers',
      priority: 'low',
      reason: 'handler-error',
      error: 'Error: cannot handle 13',
      deliveries: 3,
      envelope: { payload: { seq: 13 } },
    });
    expect(handled).toEqual([{ seq: 14, deliveries: 1 }]);
    expect(await groupState(rig.target.admin, laneKeys(contract.stream), 'workers')).toMatchObject({ pending: 0 });
    const deadCount = await registry.getSingleMetricAsString('peerfed_stream_messages_dead_lettered_total');
    expect(deadCount).toContain(`peerfed_stream_messages_dead_lettered_total{stream="${contract.stream}",group="workers"} 1`);
    const failed = await registry.getSingleMetricAsString('peerfed_stream_messages_failed_total');
    expect(failed).toContain(`{stream="${contract.stream}",group="workers"} 3`);

    healthy = true;
    expect(await deadLetters.replayAll(contract.stream, { reason: 'handler-error' })).toEqual([dead.id]);
    await waitFor(() => handled.length === 2);
    expect(handled[1]).toEqual({ seq: 13, deliveries: 1 });
    expect(await deadLetters.count(contract.stream)).toBe(0);
    expect(s.health().up).toBe(true);
  });

  it('dead-letters invalid messages at once with the validation errors, and keeps reading', async () => {
    const contract = uniqueContract();
    const handled: number[] = [];
    const s = await rig.server([{ contract, handle: (d) => void handled.push(d.seq) }]);
    const key = laneKey(contract.stream, 'high');
    const valid = createEnvelope(contract, { seq: 1 });
    await rawAdd(rig.target.admin, key, { envelope: '{not json' });
    await rawAdd(rig.target.admin, key, { envelope: JSON.stringify({ ...valid, id: 'x', payload: { seq: 'one' } }) });
    await rawAdd(rig.target.admin, key, { envelope: JSON.stringify({ ...createEnvelope(contract, { seq: 2 }), payload: { seq: -1 } }) });
    await rawAdd(rig.target.admin, key, { something: 'else' });
    await rawAdd(rig.target.admin, key, { envelope: JSON.stringify(valid) });
    await waitFor(() => handled.length === 1);
    const deadLetters = new DeadLetterRepository(rig.target.admin);
    await waitFor(async () => (await deadLetters.count(contract.stream)) === 4);
    const errors = (await deadLetters.list(contract.stream)).map((d) => [d.reason, d.error, d.deliveries]);
    expect(errors).toEqual([
      ['invalid', 'envelope is not valid JSON', 1],
      ['invalid', expect.stringMatching(/^envelope\.id: id must be a UUID$/), 1],
      ['invalid', expect.stringMatching(/^payload\.seq: seq must not be less than 0$/), 1],
      ['invalid', 'entry has no envelope field', 1],
    ]);
    expect(handled).toEqual([1]);
    expect(s.health()).toMatchObject({ up: true, loops: [{ stream: contract.stream, running: true }] });
    // A replayed invalid message is still invalid: it comes back, nothing crashes.
    const [first] = await deadLetters.list(contract.stream);
    await deadLetters.replay(contract.stream, first.id);
    await waitFor(async () => (await deadLetters.list(contract.stream)).some((d) => d.rawEnvelope === '{not json' && d.id !== first.id));
    expect(await deadLetters.purge(contract.stream, { all: true })).toBe(4);
  });

  it('serves critical first and still moves low when every lane is full', async () => {
    const contract = uniqueContract();
    const producer = rig.client();
    const perLane = 40;
    for (const priority of [...PRIORITIES].reverse()) {
      await Promise.all(Array.from({ length: perLane }, (_, seq) => producer.publishMessage(contract, { seq }, { priority })));
    }
    const order: Priority[] = [];
    await rig.server([{ contract, handle: (_d, ctx) => void order.push(ctx.getPriority()) }], { concurrency: 1, maxBatchSize: 5 });
    await waitFor(() => order.length === 4 * perLane, { timeoutMs: 10_000 });
    const first30 = order.slice(0, 30);
    const count = (p: Priority): number => first30.filter((x) => x === p).length;
    expect(order[0]).toBe('critical');
    expect(count('critical')).toBe(16);
    expect(count('high')).toBe(8);
    expect(count('medium')).toBe(4);
    expect(count('low')).toBe(2);
    expect(order.indexOf('low')).toBeLessThan(15);
  });

  it('recreates its groups after FLUSHALL and keeps consuming', async () => {
    const contract = uniqueContract();
    const handled: number[] = [];
    const s = await rig.server([{ contract, handle: (d) => void handled.push(d.seq) }]);
    const producer = rig.client();
    await producer.publishMessage(contract, { seq: 1 });
    await waitFor(() => handled.length === 1);
    await rig.target.flushAll();
    // The loop meets NOGROUP, recreates the groups at id 0 and reads what was added meanwhile.
    await waitFor(
      async () => {
        await producer.publishMessage(contract, { seq: 2 });
        return handled.includes(2);
      },
      { timeoutMs: 10_000, intervalMs: 300, description: 'a message after FLUSHALL' },
    );
    await waitFor(() => s.health().up);
    const groups = (await rig.target.admin.xinfo('GROUPS', laneKey(contract.stream, 'medium'))) as unknown[][];
    expect(groups.map((g) => g[1])).toEqual(['workers']);
  });

  it('never trims an entry that is still pending or not yet read by a group', async () => {
    const contract = uniqueContract();
    const release = deferred();
    const holding = new Set<number>();
    await rig.server([
      {
        contract,
        handle: async (d) => {
          if (d.seq % 5 === 0) {
            holding.add(d.seq);
            await release.promise;
          }
        },
      },
    ]);
    const producer = rig.client();
    const ids: string[] = [];
    for (let seq = 0; seq < 20; seq++) ids.push(await producer.publishMessage(contract, { seq }));
    await waitFor(() => holding.size === 4);
    await waitFor(async () => (await groupState(rig.target.admin, laneKeys(contract.stream), 'workers')).pending === 4);
    const key = laneKey(contract.stream, 'medium');
    const [medium] = (await trimStream(rig.target.admin, contract.stream, { approximate: false })).filter((r) => r.key === key);
    expect(medium).toEqual({ key, priority: 'medium', minId: ids[0], trimmed: 0 });

    // A group that has not read anything yet also holds everything.
    await rig.target.admin.xgroup('CREATE', key, 'late', '0');
    release.resolve();
    await waitFor(async () => (await groupState(rig.target.admin, [key], 'workers')).pending === 0);
    expect((await trimStream(rig.target.admin, contract.stream, { approximate: false }))[2].trimmed).toBe(0);
    await rig.target.admin.xgroup('DESTROY', key, 'late');

    // Retention: nothing younger than maxAge goes, even when consumed.
    expect((await trimStream(rig.target.admin, contract.stream, { approximate: false, maxAgeMs: 60_000 }))[2].trimmed).toBe(0);
    const trimmed = (await trimStream(rig.target.admin, contract.stream, { approximate: false }))[2];
    expect(trimmed.trimmed).toBe(20);
    expect(await rig.target.admin.xlen(key)).toBe(0);
  });
}
