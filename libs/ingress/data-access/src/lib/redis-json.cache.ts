import { Inject, Injectable, Logger } from '@nestjs/common';
import { INGRESS_REDIS, type IngressRedis } from './ingress-redis.util';

/**
 * JSON values in Redis with a TTL. Fails open: while Redis is away a read is a miss and a write
 * or delete is skipped (logged), so documents and lookups keep working from Postgres.
 */
@Injectable()
export class RedisJsonCache {
  private readonly logger = new Logger(RedisJsonCache.name);

  constructor(@Inject(INGRESS_REDIS) private readonly redis: IngressRedis) {}

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const raw = await this.redis.get(key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch (error) {
      this.logger.warn(`cache read of ${key} skipped: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(key, JSON.stringify(value), 'EX', ttlSeconds);
    } catch (error) {
      this.logger.warn(`cache write of ${key} skipped: ${(error as Error).message}`);
    }
  }

  /** Deletes keys one by one (they may live in different cluster slots). */
  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        await this.redis.del(key);
      } catch (error) {
        this.logger.warn(`cache delete of ${key} skipped: ${(error as Error).message}`);
      }
    }
  }

  /** The cached value, or `load()`'s result cached for `ttlSeconds` (undefined results are not cached). */
  async getOrLoad<T>(key: string, ttlSeconds: number, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    const value = await load();
    if (value !== undefined) await this.set(key, value, ttlSeconds);
    return value;
  }
}
