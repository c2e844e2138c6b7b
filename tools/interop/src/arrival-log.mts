// Remembers the activities the probe's inbox accepted and lets a step wait for one of them,
// including one that arrived before the step started waiting.

export class ArrivalLog<T> {
  private readonly arrived: T[] = [];
  private readonly waiters = new Set<{ match: (item: T) => boolean; resolve: (item: T) => void }>();

  all(): readonly T[] {
    return this.arrived;
  }

  size(): number {
    return this.arrived.length;
  }

  add(item: T): void {
    this.arrived.push(item);
    for (const waiter of this.waiters) {
      if (waiter.match(item)) {
        this.waiters.delete(waiter);
        waiter.resolve(item);
      }
    }
  }

  /** The first item matching `match`, or null when none arrived within `timeoutMs`. */
  waitFor(match: (item: T) => boolean, timeoutMs: number): Promise<T | null> {
    const already = this.arrived.find(match);
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolve) => {
      const waiter = {
        match,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(null);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
