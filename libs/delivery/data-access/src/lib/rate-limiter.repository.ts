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

// A lease of up to `wanted` requests, usable until now + leaseMs. Each leased request is logged
// at the END of its lease (the latest moment it can be sent), so the window check above still
// holds for every window at the remote (a sliding-window log, exact, as in SendGateRepository's
// per-host check): a window that could contain a send of a lease also
// contains its log entry when any later lease is granted. Unused requests are not returned: the
// limit only gets stricter. KEYS[1]: the log. ARGV: now, windowMs, limit, wanted, leaseMs, member
// prefix. Returns { granted, ms until a request fits when none was }.
const LEASE = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local lease = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local free = tonumber(ARGV[3]) - redis.call('ZCARD', KEYS[1])
if free <= 0 then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return { 0, math.max(1, tonumber(oldest[2]) + window - now + 1) }
end
local granted = math.min(free, tonumber(ARGV[4]))
for i = 1, granted do
  redis.call('ZADD', KEYS[1], now + lease, ARGV[6] .. ':' .. i)
end
redis.call('PEXPIRE', KEYS[1], window + lease)
return { granted, 0 }`;

/**
 * The global request limit shared by every replica (Redis). The per-host limit is taken by
 * SendGateRepository, in one script with the ordering check.
 */
export class RateLimiterRepository {
  private readonly lease;

  constructor(redis: RedisConnection) {
    this.lease = defineScript(redis, 'deliveryRateLease', 1, LEASE);
  }

  /**
   * Leases up to `wanted` requests of the global budget, to be sent before `now + leaseMs`
   * (GlobalRateLease in feature-delivery spends them in memory: one round trip for many sends).
   */
  async leaseGlobal(global: RateLimit, wanted: number, leaseMs: number, now: number): Promise<{ granted: number; retryInMs: number }> {
    const [granted, retryInMs] = (await this.lease(DeliveryKeys.globalRate, now, global.windowMs, global.limit, wanted, leaseMs, `${now}:${randomUUID()}`)) as [number, number];
    return { granted: Number(granted), retryInMs: Number(retryInMs) };
  }
}
