import { laneKeys } from '@peerfed/platform/streams';
import { startTestRedis, startTestRedisCluster, useTestRedis, waitFor, type TestRedis, type TestRedisCluster } from '@peerfed/platform/testing';
import {
  CIRCUIT_CHANGES_CHANNEL,
  CIRCUIT_STATE_KEY,
  DeliveryOutcomesV1,
  type DeliveryOutcomePayload,
  DeliveryTasksV1,
  type DeliveryTaskPayload,
  laneKey,
  validateMessage,
} from '@peerfed/shared/contracts';
import { type Cluster, type Redis } from 'ioredis';
import { CircuitCache } from './circuit-cache.service';
import { DelayedTasksRepository } from './delayed-tasks.repository';
import { DeliveryKeys } from './delivery-keys.util';
import { DeliveryStatusRepository } from './delivery-status.repository';
import { OrderingGateRepository, orderLane } from './ordering-gate.repository';
import { RateLimiterRepository } from './rate-limiter.repository';
import { SendGateRepository } from './send-gate.repository';
import { StreamWriter } from './stream-writer.repository';

const task = (n: number): DeliveryTaskPayload => ({
  activityId: `http://localhost:3000/activities/${n}`,
  activityType: 'Create',
  actorId: 'http://localhost:3000/users/alice',
  inbox: `https://remote${n}.example/inbox`,
  orderingKey: `remote${n}.example|http://localhost:3000/notes/${n}`,
  attempt: 2,
  queuedAt: '2026-11-22T10:00:00.000Z',
});

function delayedSuite(name: string, connect: () => Promise<{ redis: Redis | Cluster; cleanup: () => Promise<void> }>): void {
  describe(`DelayedTasksRepository on ${name}`, () => {
    let redis: Redis | Cluster;
    let cleanup: () => Promise<void>;
    beforeAll(async () => ({ redis, cleanup } = await connect()));
    afterAll(() => cleanup());

    it('moves only due tasks back onto their lanes, each exactly once, in valid envelopes', async () => {
      const delayed = new DelayedTasksRepository(redis);
      await delayed.schedule([
        { id: '6f9619ff-8b86-4d01-b42d-00cf4fc964f1', payload: task(1), priority: 'high', dueAt: 1_000 },
        { id: '6f9619ff-8b86-4d01-b42d-00cf4fc964f2', payload: task(2), priority: 'low', dueAt: 2_000 },
        { id: '6f9619ff-8b86-4d01-b42d-00cf4fc964f3', payload: task(3), priority: 'medium', dueAt: 3_000 },
      ]);
      // Two pollers race for the same due tasks: the script moves each once.
      const moved = await Promise.all([delayed.moveDue(2_000, 10), delayed.moveDue(2_000, 10)]);
      expect(moved[0] + moved[1]).toBe(2);
      expect(await delayed.count()).toBe(1);
      const [, high, , low] = laneKeys(DeliveryTasksV1.stream);
      const read = async (key: string | undefined): Promise<unknown[]> =>
        (await redis.xrange(String(key), '-', '+')).map(([, fields]) => JSON.parse(fields[1] ?? '') as unknown);
      const [onHigh] = await read(high);
      const [onLow] = await read(low);
      const checked = validateMessage(DeliveryTasksV1, onHigh);
      expect(checked.ok && checked.payload.inbox).toBe(task(1).inbox);
      expect(validateMessage(DeliveryTasksV1, onLow).ok).toBe(true);
      expect(await delayed.moveDue(10_000, 10)).toBe(1);
      expect(await delayed.count()).toBe(0);
    });
  });
}

function sendGateSuite(name: string, connect: () => Promise<{ redis: Redis | Cluster; cleanup: () => Promise<void> }>): void {
  describe(`SendGateRepository, OrderingGateRepository and DeliveryStatusRepository on ${name}`, () => {
    let redis: Redis | Cluster;
    let cleanup: () => Promise<void>;
    beforeAll(async () => ({ redis, cleanup } = await connect()));
    afterAll(() => cleanup());

    const maxAgeMs = 3 * 86_400_000;
    const t0 = 1_800_000_000_000;
    // A brace in a host must not move its keys out of the shared slot.
    const host = 'we{ird}.example:8443';
    const inbox = `https://${host}/users/bob/inbox`;
    const orderingKey = `${host}|https://local.example/notes/1`;
    const ref = (n: number) => ({ host, orderingKey, activityId: `https://local.example/activities/${n}`, inbox });
    const perHost = { limit: 3, windowMs: 60_000 };

    it('lets only the head of a lane go, taking one request from the host budget per admitted send', async () => {
      const ordering = new OrderingGateRepository(redis, maxAgeMs);
      const gate = new SendGateRepository(redis, maxAgeMs);
      await ordering.enqueue([
        { ...ref(2), activityType: 'Update', publishedAt: t0 },
        { ...ref(1), activityType: 'Create', publishedAt: t0 },
        { ...ref(3), activityType: 'Delete', publishedAt: t0 + 5 },
      ]);
      // Same millisecond: Create before Update; the Delete waits for both.
      expect(await gate.admit(ref(2), perHost, t0 + 10)).toEqual({ kind: 'behind', activityId: ref(1).activityId, inbox });
      expect(await gate.admit(ref(3), perHost, t0 + 10)).toEqual({ kind: 'behind', activityId: ref(1).activityId, inbox });
      expect(await gate.admit(ref(1), perHost, t0 + 10)).toEqual({ kind: 'go' });
      await ordering.release(ref(1));
      expect(await gate.admit(ref(2), perHost, t0 + 20)).toEqual({ kind: 'go' });
      await ordering.release(ref(2));
      // Not in its lane (a replay of a finished delivery): it may go, and it counts against the budget.
      expect(await gate.admit(ref(9), perHost, t0 + 30)).toEqual({ kind: 'go' });
      // Three sends in this window: the fourth must wait until the first leaves the window.
      expect(await gate.admit(ref(3), perHost, t0 + 40)).toEqual({ kind: 'limited', retryInMs: 60_000 - 30 + 1 });
      expect(await gate.admit(ref(3), perHost, t0 + 60_011)).toEqual({ kind: 'go' });
      if ('nodes' in redis) {
        const slots = await Promise.all([orderLane(ref(3)), DeliveryKeys.rate(host)].map((key) => redis.cluster('KEYSLOT', key)));
        expect(new Set(slots).size).toBe(1);
      }
    });

    it('leases in-flight slots per host over all callers: busy at the limit without taking budget, free again on leave or lapse', async () => {
      const gate = new SendGateRepository(redis, maxAgeMs);
      const inFlight = { limit: 2, leaseMs: 30_000 };
      const budget = { limit: 10, windowMs: 60_000 };
      const t = t0 + 1_000_000;
      const first = await gate.admit(ref(40), budget, t, inFlight);
      const second = await gate.admit(ref(41), budget, t, inFlight);
      expect([first.kind, second.kind]).toEqual(['go', 'go']);
      expect(await gate.admit(ref(42), budget, t, inFlight)).toEqual({ kind: 'busy' });
      expect(await redis.zcard(DeliveryKeys.rate(host))).toBe(2);
      if (first.kind === 'go') await gate.leave(host, String(first.lease));
      expect((await gate.admit(ref(42), budget, t + 1, inFlight)).kind).toBe('go');
      expect(await gate.admit(ref(43), budget, t + 2, inFlight)).toEqual({ kind: 'busy' });
      // Nobody hands the two leases back (their replica died): they lapse.
      expect((await gate.admit(ref(43), budget, t + 30_002, inFlight)).kind).toBe('go');
      if ('nodes' in redis) {
        const slots = await Promise.all([DeliveryKeys.inFlight(host), DeliveryKeys.rate(host)].map((key) => redis.cluster('KEYSLOT', key)));
        expect(new Set(slots).size).toBe(1);
      }
    });

    it('drops lane entries older than the retry horizon, so an abandoned one cannot block its object', async () => {
      const ordering = new OrderingGateRepository(redis, maxAgeMs);
      const gate = new SendGateRepository(redis, maxAgeMs);
      const stale = { ...ref(20), orderingKey: `${host}|https://local.example/notes/2` };
      const next = { ...ref(21), orderingKey: stale.orderingKey };
      await ordering.enqueue([
        { ...stale, activityType: 'Create', publishedAt: t0 },
        { ...next, activityType: 'Update', publishedAt: t0 + 1 },
      ]);
      // The lane expires with the retry horizon, so a forgotten one leaves no key behind.
      const ttl = await redis.pttl(orderLane(next));
      expect(ttl).toBeGreaterThan(maxAgeMs - 5_000);
      expect(ttl).toBeLessThanOrEqual(maxAgeMs);
      // A re-run fan-out keeps the first place of an entry (NX).
      await ordering.enqueue([{ ...stale, activityType: 'Create', publishedAt: t0 + 50 }]);
      expect(await redis.zscore(orderLane(stale), `${stale.activityId}\n${inbox}`)).toBe(String(t0 * 4));
      const later = { limit: 1000, windowMs: 1000 };
      expect((await gate.admit(next, later, t0 + 100)).kind).toBe('behind');
      expect(await gate.admit(next, later, t0 + maxAgeMs + 1)).toEqual({ kind: 'go' });
    });

    it('reads and writes the statuses of one activity in one command per event-loop turn; the hash gets the TTL', async () => {
      const statuses = new DeliveryStatusRepository(redis, 60_000);
      const [first, second] = [ref(30).activityId, ref(31).activityId];
      const inboxes = Array.from({ length: 5 }, (_, i) => `https://${host}/users/u${i}/inbox`);
      const status = (n: number) => ({ state: 'delivered' as const, host, activityType: 'Create', attempts: n, history: [], updatedAt: t0 + n });
      // Single Redis only: INFO commandstats is per node.
      const counted = !('nodes' in redis);
      const calls = async (command: string): Promise<number> => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(String(await redis.info('commandstats')))?.[1] ?? 0);
      if (counted) await redis.config('RESETSTAT');

      // Same turn: one script run per activity; a later write of the same inbox wins.
      await Promise.all([...inboxes.map((inbox, i) => statuses.set(first, inbox, status(i))), statuses.set(first, inboxes[0] ?? '', status(9)), statuses.set(second, inboxes[1] ?? '', status(7))]);
      if (counted) expect(await calls('hset')).toBe(2);
      const read = await Promise.all([...inboxes, `https://${host}/users/nobody/inbox`].map((inbox) => statuses.get(first, inbox)));
      expect(read.map((s) => s?.attempts)).toEqual([9, 1, 2, 3, 4, undefined]);
      expect(await statuses.get(second, inboxes[1] ?? '')).toEqual(status(7));
      if (counted) {
        expect(await calls('hmget')).toBe(2);
        expect(await calls('hget')).toBe(0);
      }
      const ttl = await redis.pttl(DeliveryKeys.status(first));
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);

      // A failing batch fails every call in it, and only those.
      const broken = ref(32).activityId;
      await redis.set(DeliveryKeys.status(broken), 'not a hash');
      const outcomes = await Promise.allSettled([statuses.set(broken, inboxes[0] ?? '', status(1)), statuses.set(broken, inboxes[1] ?? '', status(2)), statuses.set(first, inboxes[2] ?? '', status(5))]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
    });
  });
}

const oneRedis = async (): Promise<{ redis: Redis | Cluster; cleanup: () => Promise<void> }> => {
  const server: TestRedis = await startTestRedis({ appendonly: false });
  return { redis: server.client(), cleanup: () => server.cleanup() };
};

const redisCluster = async (): Promise<{ redis: Redis | Cluster; cleanup: () => Promise<void> }> => {
  const cluster: TestRedisCluster = await startTestRedisCluster();
  return { redis: cluster.client(), cleanup: () => cluster.cleanup() };
};

delayedSuite('one Redis', oneRedis);
delayedSuite('a Redis Cluster', redisCluster);
sendGateSuite('one Redis', oneRedis);
sendGateSuite('a Redis Cluster', redisCluster);

describe('RateLimiterRepository and CircuitCache (one Redis)', () => {
  const fixture = useTestRedis();

  it('leases global requests logged at the end of their lease, never more than the limit in any window', async () => {
    const limiter = new RateLimiterRepository(fixture.redis);
    const global = { limit: 10, windowMs: 1_000 };
    const t0 = 5_000_000;
    expect(await limiter.leaseGlobal(global, 4, 100, t0)).toEqual({ granted: 4, retryInMs: 0 });
    expect(await limiter.leaseGlobal(global, 8, 100, t0 + 10)).toEqual({ granted: 6, retryInMs: 0 });
    // Full: the first lease's entries (logged at t0 + 100) leave the window at t0 + 1100.
    expect(await limiter.leaseGlobal(global, 1, 100, t0 + 20)).toEqual({ granted: 0, retryInMs: 100 + 1_000 - 20 + 1 });
    expect(await limiter.leaseGlobal(global, 8, 100, t0 + 1_101)).toEqual({ granted: 4, retryInMs: 0 });
  });

  it('StreamWriter refuses an invalid payload by default and writes unchecked only when told to', async () => {
    const writer = new StreamWriter(fixture.redis);
    const outcome: DeliveryOutcomePayload = { host: 'a.example', inboxUrl: 'https://a.example/inbox', activityType: 'Create', latencyMs: 12, attempt: 1, outcome: 'delivered', statusCode: 202 };
    const bad = { ...outcome, inboxUrl: 'not a url' };
    await expect(writer.append(DeliveryOutcomesV1, [{ payload: bad, priority: 'medium' }])).rejects.toThrow(/invalid delivery\.outcomes\.v1 message/);
    await writer.append(DeliveryOutcomesV1, [{ payload: outcome, priority: 'medium' }], new Date(), { validate: false });
    const [[, fields] = ['', []]] = await fixture.redis.xrange(laneKey(DeliveryOutcomesV1.stream, 'medium'), '-', '+');
    const checked = validateMessage(DeliveryOutcomesV1, JSON.parse(fields[1] ?? ''));
    expect(checked.ok && checked.payload).toEqual(expect.objectContaining(outcome));
  });

  it('sees a circuit the monitor opened within 1 s of its publication', async () => {
    // The 60 s poll cannot help here: only the pub/sub path can make the deadline.
    const cache = new CircuitCache(fixture.redis, 60_000);
    await cache.start();
    try {
      expect(cache.get('b.example')).toBeUndefined();
      await fixture.redis.hset(CIRCUIT_STATE_KEY, 'b.example', JSON.stringify({ host: 'b.example', status: 'open', blocked: false, openUntil: 5, updatedAt: 1 }));
      await fixture.redis.publish(CIRCUIT_CHANGES_CHANNEL, 'b.example');
      const published = Date.now();
      await waitFor(() => cache.get('b.example')?.status === 'open', { timeoutMs: 1_000 });
      expect(Date.now() - published).toBeLessThan(1_000);
    } finally {
      await cache.stop();
    }
  });
});
