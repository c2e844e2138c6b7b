import { isPortFree } from '@peerfed/platform/servers';
import { existsSync } from 'node:fs';
import { cleanupTestServers } from './cleanup-registry.util';
import { startTestRedis } from './test-redis.util';

describe('startTestRedis', () => {
  it('keeps an acknowledged write through kill -9 and restart (AOF, appendfsync always)', async () => {
    const redis = await startTestRedis({ appendfsync: 'always' });
    try {
      const writer = redis.client();
      expect(await writer.set('acknowledged', 'yes')).toBe('OK');
      await redis.kill();
      await redis.restart();
      const reader = redis.client();
      expect(await reader.get('acknowledged')).toBe('yes');
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    } finally {
      await redis.cleanup();
    }
  });

  it('stops gracefully and restarts with its data; cleanup removes the dir and is idempotent', async () => {
    const redis = await startTestRedis();
    const client = redis.client({ lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await client.connect();
    await client.rpush('list', 'a', 'b');
    client.disconnect();
    await redis.stop();
    await redis.restart();
    expect(await redis.client().lrange('list', 0, -1)).toEqual(['a', 'b']);
    expect(existsSync(redis.dir)).toBe(true);
    await redis.cleanup();
    await redis.cleanup();
    expect(existsSync(redis.dir)).toBe(false);
  });

  it('cleanupTestServers() stops and removes a server whose test forgot to', async () => {
    const forgotten = await startTestRedis();
    expect(await isPortFree(forgotten.port)).toBe(false);
    await cleanupTestServers();
    expect(await isPortFree(forgotten.port)).toBe(true);
    expect(existsSync(forgotten.dir)).toBe(false);
  });
});
