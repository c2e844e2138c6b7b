import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HEALTH_SETTINGS, type HealthSettings } from './health-settings.types';
import { type RecordOutcomeCommand, type RecordOutcomeResult, RecordOutcomeUsecase } from './record-outcome.usecase';

interface Waiting {
  readonly command: RecordOutcomeCommand;
  resolve(result: RecordOutcomeResult): void;
  reject(error: unknown): void;
}

/**
 * Collects the outcomes the transport hands to concurrent handlers and applies them in batches
 * (one transaction, one lock per host), so the monitor keeps up with delivery. Each handler's
 * promise settles when its batch commits, so the transport acks only committed messages. If a
 * batch fails, its messages are retried one by one: one poison message fails alone.
 */
@Injectable()
export class OutcomeBatcher implements OnModuleDestroy {
  private readonly logger = new Logger(OutcomeBatcher.name);
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly usecase: RecordOutcomeUsecase,
    @Inject(HEALTH_SETTINGS) private readonly settings: HealthSettings,
  ) {}

  submit(command: RecordOutcomeCommand): Promise<RecordOutcomeResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      if (this.queue.length >= this.settings.outcomeBatchSize) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.settings.outcomeBatchLingerMs);
    });
  }

  async onModuleDestroy(): Promise<void> {
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
      const batch = this.queue.splice(0, this.settings.outcomeBatchSize);
      try {
        const results = await this.usecase.executeBatch(batch.map((w) => w.command));
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (error) {
        if (batch.length === 1) {
          batch[0].reject(error);
          continue;
        }
        this.logger.warn({ msg: 'outcome batch failed; retrying its messages one by one', size: batch.length, err: error });
        for (const w of batch) await this.usecase.execute(w.command).then(w.resolve, w.reject);
      }
    }
  }
}
