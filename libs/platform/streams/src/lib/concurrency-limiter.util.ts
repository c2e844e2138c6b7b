interface CapacityWaiter {
  needed: number;
  resolve: () => void;
}

/**
 * The per-process cap on handlers in flight, shared by every read loop of a server. Loops wait
 * for room before reading, so a process never holds more messages than it can work on.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly acquirers: Array<() => void> = [];
  private capacityWaiters: CapacityWaiter[] = [];
  private idleWaiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`Concurrency limit must be an integer >= 1, got ${limit}`);
  }

  get inFlight(): number {
    return this.active;
  }

  get free(): number {
    return this.limit - this.active;
  }

  /** Takes a slot, waiting (first come, first served) while none is free. */
  acquire(): Promise<void> {
    if (this.active < this.limit && this.acquirers.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.acquirers.push(resolve));
  }

  release(): void {
    if (this.active === 0) throw new Error('ConcurrencyLimiter.release() without acquire()');
    this.active--;
    this.wake();
  }

  /** Resolves once at least `needed` slots (capped at the limit) are free; takes none. */
  whenFree(needed: number): Promise<void> {
    const wanted = Math.min(Math.max(needed, 1), this.limit);
    if (this.free >= wanted && this.acquirers.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.capacityWaiters.push({ needed: wanted, resolve }));
  }

  /** Resolves once nothing is in flight. */
  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private wake(): void {
    while (this.active < this.limit && this.acquirers.length > 0) {
      this.active++;
      this.acquirers.shift()?.();
    }
    if (this.acquirers.length === 0 && this.capacityWaiters.length > 0) {
      const ready = this.capacityWaiters.filter((waiter) => waiter.needed <= this.free);
      this.capacityWaiters = this.capacityWaiters.filter((waiter) => waiter.needed > this.free);
      for (const waiter of ready) waiter.resolve();
    }
    if (this.active === 0 && this.idleWaiters.length > 0) {
      const idle = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of idle) resolve();
    }
  }
}
