import { laneKeys } from '@peerfed/platform/streams';
import { startTestRedis, startTestRedisCluster, useTestRedis, waitFor, type TestRedis, type TestRedisCluster } from '@peerfed/platform/testing';
import { CIRCUIT_CHANGES_CHANNEL, CIRCUIT_STATE_KEY, DeliveryTasksV1, type DeliveryTaskPayload, validateMessage } from '@peerfed/shared/contracts';
import { type Cluster, type Redis } from 'ioredis';
import { CircuitCache } from './circuit-cache.service';
import { DelayedTasksRepository } from './delayed-tasks.repository';
import { RateLimiterRepository } from './rate-limiter.repository';

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

delayedSuite('one Redis', async () => {
  const server: TestRedis = await startTestRedis({ appendonly: false });
  return { redis: server.client(), cleanup: () => server.cleanup() };
});

delayedSuite('a Redis Cluster', async () => {
  const cluster: TestRedisCluster = await startTestRedisCluster();
  return { redis: cluster.client(), cleanup: () => cluster.cleanup() };
});

describe('RateLimiterRepository and CircuitCache (one Redis)', () => {
  const fixture = useTestRedis();

  it('allows exactly `limit` requests in any window and says when the next one fits', async () => {
    const limiter = new RateLimiterRepository(fixture.redis);
    const limit = { limit: 3, windowMs: 60_000 };
    const t0 = 1_000_000;
    const taken = [];
    for (const at of [t0, t0 + 10, t0 + 20, t0 + 30, t0 + 59_999]) taken.push(await limiter.acquire('a.example', limit, undefined, at));
    expect(taken.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(taken[3]).toEqual({ allowed: false, retryInMs: 60_000 - 30 + 1 });
    expect((await limiter.acquire('a.example', limit, undefined, t0 + 60_001)).allowed).toBe(true);
    // Another host has its own budget; the global one caps both.
    const global = { limit: 4, windowMs: 1_000 };
    const results = [];
    for (let i = 0; i < 6; i++) results.push((await limiter.acquire(`h${i}.example`, limit, global, t0 + 100)).allowed);
    expect(results).toEqual([true, true, true, true, false, false]);
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
