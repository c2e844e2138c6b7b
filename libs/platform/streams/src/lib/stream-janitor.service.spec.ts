import { Registry } from 'prom-client';
import { ConcurrencyLimiter } from './concurrency-limiter.util';
import { type MessageDispatcher } from './message-dispatcher.service';
import { type StreamBinding } from './stream-binding.types';
import { type ClaimResult, type StreamCommands } from './stream-commands.repository';
import { StreamJanitor } from './stream-janitor.service';
import { deadLetterKey, laneKeys } from './stream-keys.util';
import { StreamMetrics } from './stream-metrics.service';
import { silentLogger, strictFake } from '../testing-fixtures/strict-fake.util';

const binding: StreamBinding = {
  stream: 'unit.janitor.v1',
  group: 'workers',
  contract: { stream: 'unit.janitor.v1', type: 'janitor.item', schemaVersion: 1, payload: class {} },
  isRequest: false,
  keys: laneKeys('unit.janitor.v1'),
  deadKey: deadLetterKey('unit.janitor.v1'),
};

function setup(claims: Record<string, ClaimResult[]>, options: { failStats?: Error } = {}) {
  const claimed: string[] = [];
  const reaped: string[] = [];
  const dispatched: Array<{ id: string; deliveries: number }> = [];
  const ensured: string[] = [];
  const keptAlive: string[] = [];
  const heldQueries: number[] = [];
  const hungBounds: number[] = [];
  const limiter = new ConcurrencyLimiter(10);
  const registry = new Registry();
  const commands = strictFake<StreamCommands>({
    claimIdle: async (key, _lane, group, consumer, minIdle, cursor, count) => {
      claimed.push(`${key} ${group} ${consumer} idle>${minIdle} from ${cursor} count ${count}`);
      return claims[key]?.shift() ?? { cursor: '0-0', entries: [], deletedIds: [] };
    },
    groupStats: async () => {
      if (options.failStats) throw options.failStats;
      return [
        { pending: 1, lag: 0 },
        { pending: 2, lag: 5 },
        { pending: 0, lag: null },
        { pending: 7, lag: 1 },
      ];
    },
    keepAlive: async (key, group, consumer, minIdle, ids) => {
      keptAlive.push(`${key} ${group} ${consumer} idle>=${minIdle} ${ids.join(',')}`);
    },
    reapConsumers: async (key, group, minIdle, self) => {
      reaped.push(`${key} ${group} ${minIdle} ${self}`);
      return 0;
    },
  });
  const dispatcher = strictFake<MessageDispatcher>({
    isHeld: (_key: string, id: string) => id === 'mine',
    // 'mine' (high lane) has been in progress long enough to need a keep-alive.
    heldBetween: (key: string, startedAfter: number, startedBefore: number) => {
      hungBounds.push(startedAfter);
      heldQueries.push(startedBefore);
      return key === binding.keys[1] ? ['mine'] : [];
    },
    start: async (_b: StreamBinding, entry) => {
      dispatched.push({ id: entry.id, deliveries: entry.deliveries });
      limiter.release();
    },
  });
  const janitor = new StreamJanitor(
    [binding],
    { consumer: 'c1', claimIdleMs: 30_000, intervalMs: 1000, maxBatchSize: 10, consumerIdleDeleteMs: 3_600_000 },
    {
      commands,
      limiter,
      dispatcher,
      metrics: StreamMetrics.for(registry),
      ensureGroups: async (b) => void ensured.push(b.group),
      clock: { now: () => 0, sleep: async () => undefined },
      logger: silentLogger,
    },
  );
  return { janitor, claimed, reaped, dispatched, ensured, registry, keptAlive, heldQueries, hungBounds };
}

describe('StreamJanitor', () => {
  it('reclaims idle entries of every lane, following the cursor, and skips what it already holds', async () => {
    const high = binding.keys[1];
    const t = setup({
      [high]: [
        { cursor: '5-0', entries: [{ lane: 1, id: '1-0', fields: {}, deliveries: 2 }, { lane: 1, id: 'mine', fields: {}, deliveries: 3 }], deletedIds: [] },
        { cursor: '0-0', entries: [{ lane: 1, id: '6-0', fields: {}, deliveries: 4 }], deletedIds: ['2-0'] },
      ],
    });
    await t.janitor.runOnce();
    expect(t.dispatched).toEqual([
      { id: '1-0', deliveries: 2 },
      { id: '6-0', deliveries: 4 },
    ]);
    expect(t.claimed).toEqual([
      '{unit.janitor.v1}:critical workers c1 idle>30000 from 0-0 count 10',
      '{unit.janitor.v1}:high workers c1 idle>30000 from 0-0 count 10',
      '{unit.janitor.v1}:high workers c1 idle>30000 from 5-0 count 10',
      '{unit.janitor.v1}:medium workers c1 idle>30000 from 0-0 count 10',
      '{unit.janitor.v1}:low workers c1 idle>30000 from 0-0 count 10',
    ]);
    expect(t.reaped).toEqual(binding.keys.map((key) => `${key} workers 3600000 c1`));
  });

  it('keeps alive the entries it has worked on for a third of claimIdleMs, before reclaiming anything', async () => {
    const t = setup({});
    await t.janitor.runOnce();
    // The clock reads 0 and claimIdleMs is 30 s: handlers started 10 s ago or earlier.
    expect(t.heldQueries).toEqual(binding.keys.map(() => -10_000));
    expect(t.keptAlive).toEqual(['{unit.janitor.v1}:high workers c1 idle>=10000 mine']);
    // Handlers running for 5 x claimIdleMs (150 s) or more are taken for hung and left to be reclaimed.
    expect(t.hungBounds).toEqual(binding.keys.map(() => -150_000));
  });

  it('publishes pending and lag per lane', async () => {
    const t = setup({});
    await t.janitor.runOnce();
    const pending = await t.registry.getSingleMetric('peerfed_stream_pending_messages')?.get();
    const lag = await t.registry.getSingleMetric('peerfed_stream_lag_messages')?.get();
    expect(pending?.values.map((v) => [v.labels['priority'], v.value])).toEqual([
      ['critical', 1],
      ['high', 2],
      ['medium', 0],
      ['low', 7],
    ]);
    // Redis could not tell the lag of the medium lane: no value rather than a wrong one.
    expect(lag?.values.map((v) => [v.labels['priority'], v.value])).toEqual([
      ['critical', 0],
      ['high', 5],
      ['low', 1],
    ]);
  });

  it('recreates the group after NOGROUP instead of failing', async () => {
    const t = setup({}, { failStats: new Error('NOGROUP No such key') });
    await expect(t.janitor.runOnce()).resolves.toBeUndefined();
    expect(t.ensured).toEqual(['workers']);
  });
});
