interface Batch<I> {
  items: I[];
  /** Settles when the command carrying `items` did (with its answer); shared by every item of the batch. */
  done: Promise<unknown>;
  settle: (error: unknown, answer?: unknown) => void;
}

/**
 * What a batch command answers: anything when callers need no answer (R = void), otherwise one
 * answer per item, in the order the items were added.
 */
export type BatchSender<I, R> = (key: string, items: I[]) => Promise<[R] extends [void] ? unknown : readonly R[]>;

/**
 * Coalesces single operations into one command per key: everything queued in the same turn of
 * the event loop, or up to `maxBatch` items, goes out together (acknowledgements as one XACK per
 * lane; the delivery statuses of one activity as one HMGET or one script). Each caller's promise
 * settles with the command that carried its item, so "acked" still means acked, and resolves to
 * the item's own answer when the command gives one per item.
 */
export class BatchQueue<I = string, R = void> {
  private pending = new Map<string, Batch<I>>();
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly send: BatchSender<I, R>,
    private readonly maxBatch: number,
  ) {}

  add(key: string, item: I): Promise<R> {
    let batch = this.pending.get(key);
    if (!batch) {
      batch = newBatch();
      this.pending.set(key, batch);
    }
    const index = batch.items.push(item) - 1;
    if (batch.items.length >= this.maxBatch) {
      this.pending.delete(key);
      this.dispatch(key, batch);
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushPending());
    }
    const mine = batch.done.then((answer) => (Array.isArray(answer) ? answer[index] : undefined) as R);
    // Callers may drop the promise (a closing server); a failure is theirs to see, not unhandled.
    mine.catch(() => undefined);
    return mine;
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

  private dispatch(key: string, batch: Batch<I>): void {
    const sending = Promise.resolve()
      .then(() => this.send(key, batch.items))
      .then(
        (answer) => {
          if (Array.isArray(answer) && answer.length !== batch.items.length) {
            batch.settle(new Error(`a batch of ${batch.items.length} got ${answer.length} answers`));
          } else {
            batch.settle(undefined, answer);
          }
        },
        (error: unknown) => batch.settle(error ?? new Error('batch failed')),
      );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }
}

function newBatch<I>(): Batch<I> {
  let settle!: Batch<I>['settle'];
  const done = new Promise<unknown>((resolve, reject) => {
    settle = (error, answer) => (error === undefined ? resolve(answer) : reject(error));
  });
  done.catch(() => undefined);
  return { items: [], done, settle };
}
