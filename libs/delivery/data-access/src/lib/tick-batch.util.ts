/** Runs one batch: the items collected for `key`, in call order; resolves with one result per item. */
export type BatchRunner<I, R> = (key: string, items: readonly I[]) => Promise<readonly R[]>;

interface Waiting<I, R> {
  readonly item: I;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces calls made in the same tick (the synchronous code and the microtasks that follow it)
 * per key into one call of `run`, flushed on process.nextTick. Workers woken together by one read
 * of the stream, or by one group commit, touch the same Redis keys at once: one command for all of
 * them instead of one each. A failing batch rejects every call in it. Batches hold at most
 * `maxItems` items (a larger group is split).
 */
export class TickBatch<I, R> {
  private pending = new Map<string, Array<Waiting<I, R>>>();

  constructor(
    private readonly run: BatchRunner<I, R>,
    private readonly maxItems = 500,
  ) {}

  add(key: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.pending.size === 0) process.nextTick(() => this.flush());
      let waiting = this.pending.get(key);
      if (!waiting) {
        waiting = [];
        this.pending.set(key, waiting);
      }
      waiting.push({ item, resolve, reject });
    });
  }

  private flush(): void {
    const batches = this.pending;
    this.pending = new Map();
    for (const [key, waiting] of batches) {
      for (let start = 0; start < waiting.length; start += this.maxItems) this.runOne(key, waiting.slice(start, start + this.maxItems));
    }
  }

  private runOne(key: string, waiting: ReadonlyArray<Waiting<I, R>>): void {
    let running: Promise<readonly R[]>;
    try {
      running = this.run(
        key,
        waiting.map((w) => w.item),
      );
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (results) => {
        if (results.length !== waiting.length) {
          const error = new Error(`batch of ${waiting.length} got ${results.length} results`);
          waiting.forEach((w) => w.reject(error));
          return;
        }
        waiting.forEach((w, index) => w.resolve(results[index] as R));
      },
      (error: unknown) => waiting.forEach((w) => w.reject(error)),
    );
  }
}
