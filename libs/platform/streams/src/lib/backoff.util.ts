export interface BackoffOptions {
  /** Delay of the first retry. */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": the delay for attempt n (1-based) lies between half and
 * all of min(max, base * 2^(n-1)), so many consumers that failed together do not retry together.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
