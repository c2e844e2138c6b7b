import { type RedisConnection } from '@peerfed/platform/streams';
import { randomUUID } from 'node:crypto';

// Compare-and-delete: a runner whose lock expired must not release the next runner's lock.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Runs `work` only if this process takes the lock (SET NX PX); otherwise returns null. The TTL
 * bounds how long a crashed runner blocks the others.
 */
export async function withRedisLock<T>(redis: RedisConnection, key: string, ttlMs: number, work: () => Promise<T>): Promise<T | null> {
  const token = randomUUID();
  const taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (taken !== 'OK') return null;
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE, 1, key, token);
  }
}
