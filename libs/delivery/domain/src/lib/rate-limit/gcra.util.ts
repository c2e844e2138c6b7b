import { requireFinite, requireInteger, requirePositive } from '../input.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

export interface GcraLimit {
  /** Sustained rate: `limit` requests per `periodMs`. */
  readonly limit: number;
  readonly periodMs: number;
  /** Requests allowed back to back from idle; defaults to `limit`. */
  readonly burst?: number;
}

export interface GcraDecision {
  readonly allowed: boolean;
  /** Theoretical arrival time to store (epoch ms); unchanged when denied. null when nothing was ever stored. */
  readonly tat: number | null;
  /** When denied: wait this long before the request would be allowed (a Retry-After). 0 when allowed. */
  readonly retryInMs: number;
  /** Requests still allowed right now after this one. */
  readonly remaining: number;
  /** Until the bucket is fully replenished: a safe TTL for the stored tat. */
  readonly resetInMs: number;
}

/**
 * Generic cell rate algorithm: one stored number (the theoretical arrival time, TAT) per key.
 * With T = periodMs / limit and tolerance tau = T * burst, a request of cost c at `now` is allowed
 * iff max(tat, now) + c*T - now <= tau; if so TAT moves there. Equivalent to a token bucket of
 * `burst` tokens refilled at one per T, without a timer. Ages are rounded up to whole ms.
 */
export function gcraDecide(storedTat: number | null, now: number, limit: GcraLimit, cost = 1): GcraDecision {
  requireFinite('now', now);
  requirePositive('limit', limit.limit);
  requirePositive('periodMs', limit.periodMs);
  const burst = limit.burst ?? limit.limit;
  requirePositive('burst', burst);
  requireInteger('cost', cost, 0);
  if (storedTat !== null) requireFinite('storedTat', storedTat);
  if (cost > burst) {
    throw new DeliveryDomainError('INVALID_INPUT', `cost ${cost} exceeds the burst ${burst}: it could never be allowed`);
  }

  const interval = limit.periodMs / limit.limit;
  const tolerance = interval * burst;
  const base = storedTat === null ? now : Math.max(storedTat, now);
  const newTat = base + cost * interval;
  const ahead = newTat - now;

  if (ahead > tolerance) {
    const current = storedTat === null ? now : Math.max(storedTat, now);
    return {
      allowed: false,
      tat: storedTat,
      retryInMs: Math.ceil(ahead - tolerance),
      remaining: Math.max(0, Math.floor((tolerance - (current - now)) / interval + 1e-9)),
      resetInMs: Math.ceil(current - now),
    };
  }
  return {
    allowed: true,
    tat: newTat,
    retryInMs: 0,
    remaining: Math.floor((tolerance - ahead) / interval + 1e-9),
    resetInMs: Math.ceil(ahead),
  };
}
