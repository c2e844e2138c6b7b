interface HostQueue {
  active: number;
  waiters: Array<() => void>;
}

/**
 * At most `perHost` requests in flight to one host from this process. A caller that cannot get a
 * slot within its wait gets `undefined` and defers its task instead of holding a worker.
 */
export class HostSlots {
  private readonly hosts = new Map<string, HostQueue>();

  constructor(private readonly perHost: number) {
    if (!Number.isInteger(perHost) || perHost < 1) throw new RangeError('perHost must be a positive integer');
  }

  inFlight(host: string): number {
    return this.hosts.get(host)?.active ?? 0;
  }

  /** Resolves with a release function, or undefined after `waitMs` without a free slot. */
  acquire(host: string, waitMs: number): Promise<(() => void) | undefined> {
    let queue = this.hosts.get(host);
    if (!queue) {
      queue = { active: 0, waiters: [] };
      this.hosts.set(host, queue);
    }
    const current = queue;
    if (current.active < this.perHost) {
      current.active++;
      return Promise.resolve(this.releaser(host, current));
    }
    return new Promise((resolve) => {
      const grant = (): void => {
        clearTimeout(timer);
        resolve(this.releaser(host, current));
      };
      const timer = setTimeout(() => {
        const index = current.waiters.indexOf(grant);
        if (index >= 0) current.waiters.splice(index, 1);
        resolve(undefined);
      }, waitMs);
      current.waiters.push(grant);
    });
  }

  private releaser(host: string, queue: HostQueue): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.waiters.shift();
      // The slot passes straight to the next waiter; the count only drops when nobody waits.
      if (next) next();
      else if (--queue.active === 0) this.hosts.delete(host);
    };
  }
}
