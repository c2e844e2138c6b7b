export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between two checks (default 50 ms). */
  intervalMs?: number;
  /** Named in the timeout error, so a failure says what never happened. */
  description?: string;
  /** Checked before each attempt: an Error returned here ends the wait at once (e.g. "the process exited"). */
  abortWhen?: () => Error | undefined;
}

/**
 * Polls `condition` until it returns a truthy value (which is returned) or the time runs out.
 * A condition that throws counts as "not yet"; the last error is attached to the timeout error.
 * Bounded in time, so a test or a start-up never hangs on it.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const abort = options.abortWhen?.();
    if (abort) throw abort;
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const what = options.description ?? 'condition';
  const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`, { cause: lastError });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
