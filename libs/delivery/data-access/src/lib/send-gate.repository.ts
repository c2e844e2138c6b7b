import { randomUUID } from 'node:crypto';
import { type RedisConnection } from '@peerfed/platform/streams';
import { DeliveryKeys } from './delivery-keys.util';
import { orderLane, orderMember, orderScore, type OrderedRef } from './ordering-gate.repository';
import { type RateLimit } from './rate-limiter.repository';
import { defineScript } from './redis-script.util';

export type GateVerdict =
  | { kind: 'go' }
  /** Another delivery of the same object to the same inbox goes first. */
  | { kind: 'behind'; activityId: string; inbox: string }
  /** The host's rate limit is used up; the next request fits in `retryInMs`. */
  | { kind: 'limited'; retryInMs: number };

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

// KEYS[1]: the ordering lane, KEYS[2]: the host's rate log (one hash tag: one slot).
// ARGV: member, oldest lane score kept, now, window ms, limit, rate-log member.
// The order check comes first: a delivery that may not go yet takes nothing from the budget.
// Returns '' (go), 'behind\n<head member>' or 'limited\n<ms until a request fits>'.
const ADMIT = `${SLIDING_WINDOW_TAKE}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if head and head ~= ARGV[1] and redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'behind\\n' .. head end
local wait = take(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6])
if wait == 0 then return '' end
return 'limited\\n' .. wait`;

/**
 * The pre-send check of one delivery at its host, in one round trip: it must be the head of its
 * ordering lane (or not in it: a replay), and the host's rate limit must have room, in which case
 * one request is taken from it. Both keys carry the host's hash tag, so this is legal on Redis
 * Cluster. The global limit (another slot) is taken separately by RateLimiterRepository.
 */
export class SendGateRepository {
  private readonly admitScript;

  constructor(
    redis: RedisConnection,
    private readonly orderMaxAgeMs: number,
  ) {
    this.admitScript = defineScript(redis, 'deliverySendAdmit', 2, ADMIT);
  }

  async admit(ref: OrderedRef, perHost: RateLimit, now: number): Promise<GateVerdict> {
    const reply = String(
      await this.admitScript(
        orderLane(ref),
        DeliveryKeys.rate(ref.host),
        orderMember(ref.activityId, ref.inbox),
        orderScore(now - this.orderMaxAgeMs, 'Create'),
        now,
        perHost.windowMs,
        perHost.limit,
        `${now}:${randomUUID()}`,
      ),
    );
    if (reply === '') return { kind: 'go' };
    const [kind = '', first = '', second = ''] = reply.split('\n');
    if (kind === 'behind') return { kind: 'behind', activityId: first, inbox: second };
    return { kind: 'limited', retryInMs: Number(first) };
  }
}
