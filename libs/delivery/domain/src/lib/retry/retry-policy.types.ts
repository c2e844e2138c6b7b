/** How often and how fast a delivery of one activity type is retried. */
export interface RetryPolicy {
  /** Total attempts, the first one included ("10 tries" = 1 attempt + 9 retries). */
  readonly maxAttempts: number;
  /** Growth of the backoff between consecutive retries. */
  readonly factor: number;
}

export interface RetryConfig {
  /** Backoff before the first retry (before jitter). */
  readonly baseDelayMs: number;
  /** No retry is scheduled later than firstAttemptAt + this (MAX_RETRY_DURATION). */
  readonly maxRetryDurationMs: number;
}

export type GiveUpReason =
  /** The policy's attempts are used up. */
  | 'max-attempts'
  /** MAX_RETRY_DURATION since the first attempt has passed. */
  | 'max-duration'
  /** The remote asked (Retry-After) to wait past MAX_RETRY_DURATION. */
  | 'retry-after-beyond-deadline';

export type RetryDecision =
  | {
      readonly kind: 'retry';
      /** Epoch ms at which the next attempt may start. */
      readonly retryAt: number;
      readonly delayMs: number;
      /** 1-based number of the attempt that retryAt schedules. */
      readonly nextAttempt: number;
      /** True when the backoff would have landed past the deadline and was pulled back to it. */
      readonly cappedAtDeadline: boolean;
      readonly policy: RetryPolicy;
    }
  | { readonly kind: 'give-up'; readonly giveUp: GiveUpReason; readonly policy: RetryPolicy };
