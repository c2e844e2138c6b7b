interface Batch {
  items: string[];
  /** Settles when the command carrying `items` did; shared by every item of the batch. */
  done: Promise<void>;
  settle: (error?: unknown) => void;
}

/**
 * Coalesces single operations (acknowledgements) into one command per key: everything queued in
 * the same turn of the event loop, or up to `maxBatch` items, goes out together. Each caller gets
 * the promise of the command that carried its item, so "acked" still means acked.
 */
export class BatchQueue {
  private pending = new Map<string, Batch>();
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly send: (key: string, items: string[]) => Promise<unknown>,
    private readonly maxBatch: number,
  ) {}

  add(key: string, item: string): Promise<void> {
    let batch = this.pending.get(key);
    if (!batch) {
      batch = newBatch();
      this.pending.set(key, batch);
    }
    batch.items.push(item);
    if (batch.items.length >= this.maxBatch) {
      this.pending.delete(key);
      this.dispatch(key, batch);
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushPending());
    }
    return batch.done;
  }

  /** Sends whatever is queued and waits for every command sent so far. */
  async flush(): Promise<void> {
    this.flushPending();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private flushPending(): void {
    this.scheduled = false;
    const batches = this.pending;
    this.pending = new Map();
    for (const [key, batch] of batches) this.dispatch(key, batch);
  }

  private dispatch(key: string, batch: Batch): void {
    const sending = this.send(key, batch.items).then(
      () => batch.settle(),
      (error: unknown) => batch.settle(error ?? new Error('batch failed')),
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }
}

function newBatch(): Batch {
  let settle!: (error?: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // Callers may drop the promise (a closing server); a failure is theirs to see, not unhandled.
  done.catch(() => undefined);
  return { items: [], done, settle };
}
