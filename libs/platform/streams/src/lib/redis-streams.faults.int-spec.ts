// Faults that need one Redis node under the test's control: connection resets, a Redis crash.
import { TcpProxy, startTestRedis, waitFor, type TestRedis } from '@peerfed/platform/testing';
import { lastValueFrom } from 'rxjs';
import { PublishFailedException } from './publish-failed.exception';
import { type RedisStreamsStatus } from './redis-streams-status.types';
import { RedisStreamsClient } from './redis-streams.client';
import { laneKeys } from './stream-keys.util';
import { groupState, startServer, uniqueContract, type StreamsTarget } from '../testing-fixtures/stream-test.util';

function targetOf(redis: TestRedis, url = redis.url): StreamsTarget {
  const admin = redis.client();
  return { kind: 'single', connection: { url }, admin, flushAll: async () => void (await admin.flushall()) };
}

describe('Redis Streams transport under faults', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis({ appendfsync: 'always' });
  });
  afterAll(() => redis.cleanup());

  it('loses nothing when connections are reset during XREADGROUP and XACK', async () => {
    const proxy = await TcpProxy.start({ port: redis.port });
    const contract = uniqueContract('reset');
    const handled = new Map<number, number>();
    const server = await startServer(targetOf(redis, `redis://127.0.0.1:${proxy.port}`), [
      {
        contract,
        handle: async (d) => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          handled.set(d.seq, (handled.get(d.seq) ?? 0) + 1);
        },
      },
    ]);
    const producer = new RedisStreamsClient({ url: redis.url });
    const admin = redis.client();
    try {
      const total = 600;
      let resets = 0;
      for (let wave = 0; wave < 6; wave++) {
        await Promise.all(Array.from({ length: 100 }, (_, i) => producer.publishMessage(contract, { seq: wave * 100 + i })));
        // Reset while the consumer is busy reading and acknowledging that wave.
        await waitFor(() => handled.size > wave * 100 + 10, { timeoutMs: 10_000 });
        proxy.resetAll();
        resets++;
      }
      await waitFor(
        async () => handled.size === total && (await groupState(admin, laneKeys(contract.stream), 'workers')).pending === 0,
        { timeoutMs: 20_000, description: 'every message handled and acknowledged after resets' },
      );
      expect(resets).toBe(6);
      expect([...handled.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(await groupState(admin, laneKeys(contract.stream), 'workers')).toEqual({ pending: 0, entriesRead: total });
      await waitFor(() => server.health().up, { description: 'health up again' });
    } finally {
      await producer.close();
      // The server QUITs through the proxy, then the proxy closes (the order that used to leak a
      // socket handle in TcpProxy).
      await server.close();
      await proxy.close();
      admin.disconnect();
    }
  });

  it('loses no acknowledged message when Redis is killed with SIGKILL and restarted (AOF, fsync always)', async () => {
    const contract = uniqueContract('aof');
    const handled = new Set<number>();
    const server = await startServer(targetOf(redis), [
      {
        contract,
        handle: async (d) => {
          await new Promise((resolve) => setTimeout(resolve, 3));
          handled.add(d.seq);
        },
      },
    ]);
    const statuses: RedisStreamsStatus[] = [];
    const subscription = server.status.subscribe((status) => statuses.push(status));
    const producer = new RedisStreamsClient({ url: redis.url, retryDelayMs: 20, maxRetryDelayMs: 200, publishTimeoutMs: 2000 });
    try {
      const total = 300;
      // Every XADD below was acknowledged by Redis before the crash.
      await Promise.all(Array.from({ length: total }, (_, seq) => producer.publishMessage(contract, { seq })));
      await waitFor(() => handled.size >= 40, { timeoutMs: 10_000 });
      await redis.kill();
      await waitFor(() => !server.health().up, { timeoutMs: 5000, description: 'health down while Redis is dead' });
      await waitFor(() => server.health().loops[0]?.lastError, { timeoutMs: 5000, description: 'the read loop to report the outage' });
      expect(server.health().loops[0]).toMatchObject({ stream: contract.stream, running: true });
      // A producer is told, quickly, that its message was not stored.
      const started = Date.now();
      await expect(producer.publishMessage(contract, { seq: 9999 })).rejects.toBeInstanceOf(PublishFailedException);
      expect(Date.now() - started).toBeLessThan(3000);

      await redis.restart();
      const admin = redis.client();
      try {
        await waitFor(
          async () => handled.size === total && (await groupState(admin, laneKeys(contract.stream), 'workers')).pending === 0,
          { timeoutMs: 20_000, description: 'every acknowledged message handled after the restart' },
        );
        expect(await groupState(admin, laneKeys(contract.stream), 'workers')).toEqual({ pending: 0, entriesRead: total });
      } finally {
        admin.disconnect();
      }
      await waitFor(() => server.health().up, { description: 'health up again' });
      expect(statuses).toEqual(expect.arrayContaining(['connected', 'reconnecting']));
      expect(statuses[statuses.length - 1]).toBe('connected');
    } finally {
      subscription.unsubscribe();
      await producer.close();
      await server.close();
    }
  });

  it('fails requests in flight when the client closes', async () => {
    const contract = uniqueContract('closing');
    const client = new RedisStreamsClient({ url: redis.url, requestTimeoutMs: 30_000, contracts: [contract] });
    const pending = lastValueFrom(client.send(contract.stream, { seq: 1 })).catch((error: unknown) => error);
    await waitFor(async () => (await redis.client().xlen(`{${contract.stream}}:medium`)) === 1, { description: 'the request written' });
    await client.close();
    expect(await pending).toEqual(new Error('Connection closed'));
  });
});
