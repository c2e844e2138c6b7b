import { Logger } from '@nestjs/common';

export interface MicroBatchOptions<C, R> {
  /** Logger name for the one-by-one retry warning. */
  readonly name: string;
  readonly maxSize: number;
  readonly lingerMs: number;
  /** Applies a batch; results in the order of the commands. */
  readonly runBatch: (commands: readonly C[]) => Promise<R[]>;
  /** Applies one command (the retry after a failed batch). */
  readonly runOne: (command: C) => Promise<R>;
}

interface Waiting<C, R> {
  readonly command: C;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Collects what concurrent stream handlers submit and applies it in batches, one batch at a time.
 * Each submitter's promise settles when its batch commits, so the transport acks only committed
 * messages. If a batch fails, its commands are retried one by one: one poison message fails alone.
 */
export class MicroBatch<C, R> {
  private readonly logger: Logger;
  private queue: Array<Waiting<C, R>> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly options: MicroBatchOptions<C, R>) {
    this.logger = new Logger(options.name);
  }

  submit(command: C): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      if (this.queue.length >= this.options.maxSize) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.options.lingerMs);
    });
  }

  /** Applies what is queued and waits for it (on shutdown). */
  async drainNow(): Promise<void> {
    this.kick();
    await this.flushing;
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // One batch at a time per process; what arrives meanwhile forms the next batch.
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxSize);
      try {
        const results = await this.options.runBatch(batch.map((w) => w.command));
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (error) {
        if (batch.length === 1) {
          batch[0].reject(error);
          continue;
        }
        this.logger.warn({ msg: 'batch failed; retrying its messages one by one', size: batch.length, err: error });
        for (const w of batch) await this.options.runOne(w.command).then(w.resolve, w.reject);
      }
    }
  }
}
