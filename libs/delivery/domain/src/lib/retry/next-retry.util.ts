import { type RetryConfig, type RetryDecision } from './retry-policy.types';
import { retryConfig, retryPolicyFor } from './retry-policies.util';
import { drawUnit, requireFinite, requireInteger } from '../input.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

export interface NextRetryInput {
  readonly activityType: string;
  /** For an Undo: the type of the undone activity, which decides the policy. */
  readonly undoTargetType?: string;
  /** Attempts made so far, the one that just failed included (>= 1). */
  readonly attempt: number;
  readonly firstAttemptAt: number;
  readonly now: number;
  readonly random: () => number;
  /** From a 429/503 Retry-After (see parseRetryAfter): the next attempt waits at least this long. */
  readonly retryAfterMs?: number;
  readonly config?: Partial<RetryConfig>;
}

/**
 * When to try a failed delivery again, or that we stop.
 *
 * Backoff for retry n (after attempt n): d = baseDelay * factor^(n-1), with "equal jitter":
 * delay = d/2 + random * d/2, so retries never bunch closer than half the nominal backoff
 * yet spread over a window as wide as that half. A Retry-After raises the delay to at least its value.
 * Deadline = firstAttemptAt + maxRetryDuration: a backoff landing past it is pulled back to the
 * deadline (one last try there); a Retry-After past it means give up, since we may not honour it.
 */
export function nextRetry(input: NextRetryInput): RetryDecision {
  const config = retryConfig(input.config);
  const attempt = requireInteger('attempt', input.attempt, 1);
  const now = requireFinite('now', input.now);
  const firstAttemptAt = requireFinite('firstAttemptAt', input.firstAttemptAt);
  const retryAfterMs = input.retryAfterMs === undefined ? undefined : requireFinite('retryAfterMs', input.retryAfterMs);
  if (retryAfterMs !== undefined && retryAfterMs < 0) {
    throw new DeliveryDomainError('INVALID_INPUT', `retryAfterMs must be >= 0, got ${retryAfterMs}`);
  }
  const policy = retryPolicyFor(input.activityType, input.undoTargetType);

  if (attempt >= policy.maxAttempts) return { kind: 'give-up', giveUp: 'max-attempts', policy };
  const deadline = firstAttemptAt + config.maxRetryDurationMs;
  if (now >= deadline) return { kind: 'give-up', giveUp: 'max-duration', policy };

  const nominal = config.baseDelayMs * policy.factor ** (attempt - 1);
  const jittered = nominal / 2 + (drawUnit(input.random) * nominal) / 2;
  const delayMs = Math.ceil(Math.max(jittered, retryAfterMs ?? 0));

  if (now + delayMs <= deadline) {
    return { kind: 'retry', retryAt: now + delayMs, delayMs, nextAttempt: attempt + 1, cappedAtDeadline: false, policy };
  }
  if (retryAfterMs !== undefined && now + retryAfterMs > deadline) {
    return { kind: 'give-up', giveUp: 'retry-after-beyond-deadline', policy };
  }
  return { kind: 'retry', retryAt: deadline, delayMs: deadline - now, nextAttempt: attempt + 1, cappedAtDeadline: true, policy };
}
