import { randomUUID } from 'node:crypto';
import { type RedisConnection } from '@peerfed/platform/streams';
import { DeliveryKeys } from './delivery-keys.util';
import { orderLane, orderMember, orderScore, type OrderedRef } from './ordering-gate.repository';
import { type RateLimit } from './rate-limiter.repository';
import { defineScript } from './redis-script.util';

export type GateVerdict =
  /** Send now. `lease`: the in-flight slot taken at the host, to hand back with `leave()`. */
  | { kind: 'go'; lease?: string }
  /** Another delivery of the same object to the same inbox goes first. */
  | { kind: 'behind'; activityId: string; inbox: string }
  /** The host already has its maximum of requests in flight (all replicas together). */
  | { kind: 'busy' }
  /** The host's rate limit is used up; the next request fits in `retryInMs`. */
  | { kind: 'limited'; retryInMs: number };

/** Requests in flight to one host, all replicas together. */
export interface InFlightLimit {
  limit: number;
  /**
   * How long a slot stays taken when nobody hands it back (its replica died mid-request): longer
   * than any request can last, so a live request never loses its slot.
   */
  leaseMs: number;
}

/**
 * Lua: a sliding-window log, exact, so "100 per 60 s" holds for EVERY 60 s window at the remote (a
 * GCRA with a burst lets up to limit + burst through a window). `take(log, now, window, limit,
 * member)` logs one request and returns 0, or returns the ms until one fits. Here a host's
 * log is applied together with the ordering check.
 */
const SLIDING_WINDOW_TAKE = `
local function take(log, now, window, limit, member)
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
  if redis.call('ZCARD', log) < limit then
    redis.call('ZADD', log, now, member)
    redis.call('PEXPIRE', log, window)
    return 0
  end
  local oldest = redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now + 1)
end`;

// KEYS[1]: the ordering lane, KEYS[2]: the host's rate log, KEYS[3]: the host's in-flight leases
// (one hash tag: one slot). ARGV: member, oldest lane score kept, now, window ms, limit, rate-log
// member, in-flight limit (0: none), lease ms, lease id.
// The order and in-flight checks come first: a delivery that may not go yet takes nothing from the
// budget. An in-flight lease is scored by its expiry, so a dead replica's leases lapse by themselves.
// Returns '' (go), 'behind\n<head member>', 'busy' or 'limited\n<ms until a request fits>'.
const ADMIT = `${SLIDING_WINDOW_TAKE}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if head and head ~= ARGV[1] and redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'behind\\n' .. head end
local now = tonumber(ARGV[3])
local inFlightLimit = tonumber(ARGV[7])
if inFlightLimit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if redis.call('ZCARD', KEYS[3]) >= inFlightLimit then return 'busy' end
end
local wait = take(KEYS[2], now, tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6])
if wait ~= 0 then return 'limited\\n' .. wait end
if inFlightLimit > 0 then
  local lease = tonumber(ARGV[8])
  redis.call('ZADD', KEYS[3], now + lease, ARGV[9])
  redis.call('PEXPIRE', KEYS[3], lease)
end
return ''`;

/**
 * The pre-send check of one delivery at its host, in one round trip: it must be the head of its
 * ordering lane (or not in it: a replay), the host must have fewer than its limit of requests in
 * flight (all replicas together), and the host's rate limit must have room; then one request is
 * taken from the rate budget and one in-flight slot is leased. All keys carry the host's hash tag,
 * so this is legal on Redis Cluster. The global limit (another slot) is taken separately by
 * RateLimiterRepository.
 */
export class SendGateRepository {
  private readonly admitScript;

  constructor(
    private readonly redis: RedisConnection,
    private readonly orderMaxAgeMs: number,
  ) {
    this.admitScript = defineScript(redis, 'deliverySendAdmit', 3, ADMIT);
  }

  /** `inFlight` undefined: no cross-replica concurrency check (and no lease to hand back). */
  async admit(ref: OrderedRef, perHost: RateLimit, now: number, inFlight?: InFlightLimit): Promise<GateVerdict> {
    const lease = inFlight ? randomUUID() : '';
    const reply = String(
      await this.admitScript(
        orderLane(ref),
        DeliveryKeys.rate(ref.host),
        DeliveryKeys.inFlight(ref.host),
        orderMember(ref.activityId, ref.inbox),
        orderScore(now - this.orderMaxAgeMs, 'Create'),
        now,
        perHost.windowMs,
        perHost.limit,
        `${now}:${randomUUID()}`,
        inFlight?.limit ?? 0,
        inFlight?.leaseMs ?? 0,
        lease,
      ),
    );
    if (reply === '') return inFlight ? { kind: 'go', lease } : { kind: 'go' };
    if (reply === 'busy') return { kind: 'busy' };
    const [kind = '', first = '', second = ''] = reply.split('\n');
    if (kind === 'behind') return { kind: 'behind', activityId: first, inbox: second };
    return { kind: 'limited', retryInMs: Number(first) };
  }

  /** Hands an in-flight slot back once its request is over. */
  async leave(host: string, lease: string): Promise<void> {
    await this.redis.zrem(DeliveryKeys.inFlight(host), lease);
  }
}
