import { type RetryConfig, type RetryPolicy } from './retry-policy.types';
import { requirePositive } from '../input.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

const policy = (maxAttempts: number, factor: number): RetryPolicy => Object.freeze({ maxAttempts, factor });

/**
 * Per activity type. The first five rows are the SPEC's; the others are our choice (see README):
 * Accept/Reject: a lost Accept leaves a follow pending forever on the remote side, so as patient as Follow.
 * Announce: a boost is content; more patient than a Like, slightly less than a Create.
 * Undo: never listed here, it takes its target's policy (an Undo Like is as cheap to lose as the Like).
 */
export const RETRY_POLICIES: Readonly<Record<string, RetryPolicy>> = Object.freeze({
  Create: policy(10, 2.0),
  Update: policy(10, 2.0),
  Delete: policy(8, 1.5),
  Like: policy(5, 1.5),
  Dislike: policy(5, 1.5),
  Follow: policy(8, 2.0),
  Accept: policy(8, 2.0),
  Reject: policy(8, 2.0),
  Announce: policy(8, 2.0),
});

/** Unknown types (Add, Remove, Block, Flag, Move ...) and an Undo whose target type is unknown. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = policy(8, 2.0);

export const DEFAULT_RETRY_CONFIG: RetryConfig = Object.freeze({
  baseDelayMs: 30_000,
  maxRetryDurationMs: 2 * 24 * 60 * 60 * 1000,
});

/** The policy for an activity; an Undo uses the policy of the activity it undoes. */
export function retryPolicyFor(activityType: string, undoTargetType?: string): RetryPolicy {
  if (activityType === 'Undo') {
    return undoTargetType !== undefined && undoTargetType !== 'Undo' && Object.hasOwn(RETRY_POLICIES, undoTargetType)
      ? RETRY_POLICIES[undoTargetType]
      : DEFAULT_RETRY_POLICY;
  }
  return Object.hasOwn(RETRY_POLICIES, activityType) ? RETRY_POLICIES[activityType] : DEFAULT_RETRY_POLICY;
}

/** Defaults overridden by the service's validated env (e.g. RETRY_BASE_DELAY_MS, MAX_RETRY_DURATION_MS). */
export function retryConfig(overrides: Partial<RetryConfig> = {}): RetryConfig {
  const merged = { ...DEFAULT_RETRY_CONFIG, ...overrides };
  requirePositive('baseDelayMs', merged.baseDelayMs);
  requirePositive('maxRetryDurationMs', merged.maxRetryDurationMs);
  if (merged.baseDelayMs > merged.maxRetryDurationMs) {
    throw new DeliveryDomainError('INVALID_CONFIG', 'baseDelayMs must not exceed maxRetryDurationMs');
  }
  return merged;
}
