import { randomUUID } from 'node:crypto';
import { type RedisConnection } from '@peerfed/platform/streams';
import { DeliveryKeys } from './delivery-keys.util';
import { defineScript } from './redis-script.util';

export interface RateLimit {
  /** Requests allowed in any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryInMs: number };

// A sliding-window log: exact, so "100 per 60 s" holds for EVERY 60 s window at the remote (a
// GCRA with a burst lets up to limit + burst through a window). One key per host, one slot.
// KEYS[1]: the log. ARGV: now, windowMs, limit, member.
const TAKE = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)`;

/** Per-destination and global request limits shared by every replica (Redis). */
export class RateLimiterRepository {
  private readonly take;

  constructor(redis: RedisConnection) {
    this.take = defineScript(redis, 'deliveryRateTake', 1, TAKE);
  }

  /** Takes one request from the host's budget, then from the global one (when given). */
  async acquire(host: string, perHost: RateLimit, global: RateLimit | undefined, now: number): Promise<RateDecision> {
    const hostWait = await this.takeOne(DeliveryKeys.rate(host), perHost, now);
    if (hostWait > 0) return { allowed: false, retryInMs: hostWait };
    if (!global) return { allowed: true };
    // A global denial wastes the host slot just taken: the limit only gets stricter, never exceeded.
    const globalWait = await this.takeOne(DeliveryKeys.globalRate, global, now);
    return globalWait > 0 ? { allowed: false, retryInMs: globalWait } : { allowed: true };
  }

  private async takeOne(key: string, limit: RateLimit, now: number): Promise<number> {
    return Number(await this.take(key, now, limit.windowMs, limit.limit, `${now}:${randomUUID()}`));
  }
}
