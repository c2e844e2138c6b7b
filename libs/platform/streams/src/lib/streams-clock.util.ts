/** Time as the transport sees it; tests inject their own. */
export interface StreamsClock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (so close() cuts a backoff short). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: StreamsClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};
