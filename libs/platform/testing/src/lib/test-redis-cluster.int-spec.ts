import { startTestRedisCluster } from './test-redis-cluster.util';

describe('startTestRedisCluster', () => {
  it('runs 3 masters that accept a multi-key op with a hash tag and reject one without (CROSSSLOT)', async () => {
    const cluster = await startTestRedisCluster();
    try {
      expect(cluster.nodes).toHaveLength(3);
      const client = cluster.client();
      expect(await client.mset('{job}:a', '1', '{job}:b', '2')).toBe('OK');
      expect(await client.mget('{job}:a', '{job}:b')).toEqual(['1', '2']);
      // "a" and "b" hash to different slots.
      await expect(client.mset('a', '1', 'b', '2')).rejects.toThrow(/CROSSSLOT/);
    } finally {
      await cluster.cleanup();
    }
  });
});
