import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicJob } from '@peerfed/shared/util';
import { type DataSource } from 'typeorm';
import { expireProcessedMessages } from './expire-processed-messages.util';

export interface ProcessedMessagesExpirySettings {
  /** Rows older than this are deleted (PROCESSED_MESSAGES_RETENTION_DAYS). */
  readonly retentionDays: number;
  /** Time between sweeps; the first sweep comes after a random part of it, so replicas spread out. */
  readonly intervalMs: number;
}

/** One sweep an hour is plenty: a day's rows are deleted in batches of 5000 per statement. */
export const PROCESSED_MESSAGES_SWEEP_MS = 3_600_000;

/**
 * Keeps a service's processed_messages table bounded: a sweep every interval deletes the rows
 * past the retention. Several replicas may sweep at once; that only repeats a cheap DELETE.
 * A failing sweep is logged and tried again at the next interval, never thrown.
 * DatabaseModule provides one per service (every service schema has the table).
 */
export class ProcessedMessagesExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProcessedMessagesExpiry.name);
  private readonly sweeps = new PeriodicJob(() => this.deleteExpired(new Date()), (error) => this.logFailure(error));

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: ProcessedMessagesExpirySettings,
  ) {}

  onApplicationBootstrap(): void {
    // A random first delay so replicas started together do not all sweep at the same moment.
    this.sweeps.start(this.settings.intervalMs, { firstDelayMs: Math.floor(Math.random() * this.settings.intervalMs) });
  }

  onApplicationShutdown(): Promise<void> {
    return this.sweeps.stop();
  }

  /** One sweep now (or the one in progress); resolves to the number of rows deleted (0 when it failed). */
  sweep(now = new Date()): Promise<number> {
    return this.sweeps.runNow(() => this.deleteExpired(now));
  }

  private async deleteExpired(now: Date): Promise<number> {
    try {
      const deleted = await expireProcessedMessages(this.dataSource, { olderThanDays: this.settings.retentionDays, now });
      if (deleted > 0) this.logger.log({ msg: 'expired processed-message rows deleted', deleted, retentionDays: this.settings.retentionDays });
      return deleted;
    } catch (error) {
      this.logFailure(error);
      return 0;
    }
  }

  private logFailure(error: unknown): void {
    this.logger.warn({ msg: 'processed-message expiry failed; retrying at the next sweep', err: error });
  }
}
