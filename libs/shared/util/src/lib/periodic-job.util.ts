export interface PeriodicJobStartOptions {
  /** Delay before the first tick; the interval by default. */
  readonly firstDelayMs?: number;
}

/**
 * A job run every interval and on demand, never twice at once in this process: a call made while
 * a run is in progress gets that run's promise, and a tick that finds one in progress skips.
 * Ticks never throw (their errors go to `onError`), and the timers are unref'd so a forgotten
 * job never keeps the process alive.
 */
export class PeriodicJob<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly job: () => Promise<T>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Ticks every `intervalMs` (the first after `firstDelayMs`); a no-op while already started. */
  start(intervalMs: number, options: PeriodicJobStartOptions = {}): void {
    if (this.timer) return;
    this.schedule(options.firstDelayMs ?? intervalMs, intervalMs);
  }

  /**
   * One run now, or the run in progress. `work` replaces the job for this run only (a caller's
   * own arguments); a caller joining a run in progress gets that run whatever it passed.
   */
  runNow(work: () => Promise<T> = this.job): Promise<T> {
    this.running ??= this.execute(work).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** No more ticks; resolves once the run in progress (if any) is over, whatever its outcome. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One timeout per tick, re-armed as it fires, so the cadence does not depend on how long a run takes. */
  private schedule(delayMs: number, intervalMs: number): void {
    this.timer = setTimeout(() => {
      this.schedule(intervalMs, intervalMs);
      this.tick();
    }, delayMs).unref();
  }

  private tick(): void {
    if (this.running) return;
    this.runNow().catch((error: unknown) => this.onError(error));
  }

  /** Async so that a job throwing synchronously still rejects (and the run in progress is cleared). */
  private async execute(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
