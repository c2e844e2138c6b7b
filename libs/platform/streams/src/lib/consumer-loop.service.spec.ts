import { ConcurrencyLimiter } from './concurrency-limiter.util';
import { ConsumerLoop } from './consumer-loop.service';
import { type MessageDispatcher } from './message-dispatcher.service';
import { PriorityShares } from './priority-shares.util';
import { type StreamBinding } from './stream-binding.types';
import { type DeliveredEntry, type StreamCommands } from './stream-commands.repository';
import { deadLetterKey, laneKeys } from './stream-keys.util';
import { silentLogger, strictFake } from '../testing-fixtures/strict-fake.util';

const binding: StreamBinding = {
  stream: 'unit.loop.v1',
  group: 'workers',
  contract: { stream: 'unit.loop.v1', type: 'loop.item', schemaVersion: 1, payload: class {} },
  isRequest: false,
  keys: laneKeys('unit.loop.v1'),
  deadKey: deadLetterKey('unit.loop.v1'),
};

type Step = () => Promise<DeliveredEntry[]>;

/** A reader that answers each call from a script of steps, then stops the loop. */
function harness(script: { lanes?: Step[]; blocking?: Step[]; history?: Record<number, Step[]> }) {
  const calls: string[] = [];
  const sleeps: number[] = [];
  const errorsWhenSleeping: Array<string | undefined> = [];
  const dispatched: string[] = [];
  const held = new Set<string>();
  const next = async (queue: Step[] | undefined, what: string): Promise<DeliveredEntry[]> => {
    const step = queue?.shift();
    if (!step) {
      void loop.stop();
      return [];
    }
    calls.push(what);
    return step();
  };
  const reader = strictFake<StreamCommands>(
    {
      readLanes: (_keys, _group, _consumer, shares, capacity) => next(script.lanes, `lanes ${shares.join(':')}/${capacity}`),
      readBlocking: (_keys, _group, _consumer, count, blockMs) => next(script.blocking, `block ${count} ${blockMs}ms`),
      // Unscripted history reads find nothing (and do not end the loop).
      readHistory: async (_key, lane, _group, _consumer, after) => {
        calls.push(`history ${lane} after ${after}`);
        const step = script.history?.[lane]?.shift();
        return step ? step() : [];
      },
    },
    'reader',
  );
  const limiter = new ConcurrencyLimiter(8);
  const dispatcher = strictFake<MessageDispatcher>(
    {
      isHeld: (_key: string, id: string) => held.has(id),
      start: async (_b: StreamBinding, entry: DeliveredEntry) => {
        dispatched.push(entry.id);
        limiter.release();
      },
    },
    'dispatcher',
  );
  const ensured: string[] = [];
  // The fakes above only call into `loop` once it runs.
  const loop: ConsumerLoop = new ConsumerLoop(
    binding,
    { consumer: 'c1', maxBatchSize: 4, blockMs: 50, errorBackoffMs: 100, maxErrorBackoffMs: 1000 },
    {
      reader,
      limiter,
      dispatcher,
      shares: new PriorityShares(),
      ensureGroups: async (b) => void ensured.push(b.group),
      clock: {
        now: () => 1_800_000_000_000,
        sleep: async (ms) => {
          sleeps.push(ms);
          errorsWhenSleeping.push(loop.health().lastError);
        },
      },
      logger: silentLogger,
      random: () => 0,
    },
  );
  return { loop, calls, sleeps, errorsWhenSleeping, dispatched, held, ensured };
}

const entries = (...ids: string[]): DeliveredEntry[] => ids.map((id) => ({ lane: 2, id, fields: {}, deliveries: 1 }));
const ok = (...ids: string[]): Step => async () => entries(...ids);
const fail = (message: string): Step => async () => Promise.reject(new Error(message));

async function finished(h: ReturnType<typeof harness>): Promise<void> {
  h.loop.start();
  for (let i = 0; i < 100 && h.loop.health().running; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('ConsumerLoop', () => {
  it('reads its own pending entries of every lane first, then new ones by weighted share', async () => {
    const h = harness({
      history: { 0: [ok('p1')] },
      lanes: [ok('n1', 'n2')],
    });
    await finished(h);
    expect(h.calls).toEqual([
      'history 0 after 0',
      'history 0 after p1',
      'history 1 after 0',
      'history 2 after 0',
      'history 3 after 0',
      'lanes 2:1:1:0/4',
    ]);
    expect(h.dispatched).toEqual(['p1', 'n1', 'n2']);
  });

  it('blocks on all lanes only when the weighted read found nothing', async () => {
    const h = harness({ lanes: [ok()], blocking: [ok('b1')] });
    await finished(h);
    expect(h.calls.slice(4)).toEqual(['lanes 2:1:1:0/4', 'block 1 50ms']);
    expect(h.dispatched).toEqual(['b1']);
  });

  it('after a failed read backs off, reports the error, and re-reads its pending entries', async () => {
    const h = harness({
      history: { 0: [ok(), ok('lost')] },
      lanes: [fail('read ECONNRESET'), ok('n1')],
    });
    await finished(h);
    expect(h.errorsWhenSleeping).toEqual(['Error: read ECONNRESET']);
    expect(h.sleeps).toEqual([50]);
    expect(h.calls.filter((c) => c.startsWith('history 0'))).toEqual(['history 0 after 0', 'history 0 after 0', 'history 0 after lost']);
    expect(h.dispatched).toEqual(['lost', 'n1']);
    expect(h.loop.health().lastError).toBeUndefined();
    expect(h.loop.health().lastReadAt).toBe(new Date(1_800_000_000_000).toISOString());
  });

  it('recreates the group after NOGROUP without backing off', async () => {
    const h = harness({
      lanes: [fail("NOGROUP No such key '{unit.loop.v1}:critical' or consumer group 'workers'"), ok('n1')],
    });
    await finished(h);
    expect(h.ensured).toEqual(['workers']);
    expect(h.sleeps).toEqual([]);
    expect(h.dispatched).toEqual(['n1']);
  });

  it('skips entries this process already holds (a re-read after a reconnect)', async () => {
    const h = harness({ history: { 0: [ok('a', 'b')] } });
    h.held.add('a');
    await finished(h);
    expect(h.dispatched).toEqual(['b']);
  });

  it('re-reads pending entries when told the connection came back', async () => {
    const h = harness({
      history: { 0: [ok(), ok('again')] },
      lanes: [
        async () => {
          h.loop.markReconnected();
          return entries('n1');
        },
        ok('n2'),
      ],
    });
    await finished(h);
    expect(h.dispatched).toEqual(['n1', 'again', 'n2']);
    expect(h.calls.filter((c) => c === 'history 0 after 0')).toHaveLength(2);
  });

  it('grows the backoff with consecutive failures, within the cap', async () => {
    const h = harness({ lanes: [fail('x'), fail('x'), fail('x'), fail('x'), fail('x')] });
    await finished(h);
    expect(h.sleeps).toEqual([50, 100, 200, 400, 500]);
  });
});
