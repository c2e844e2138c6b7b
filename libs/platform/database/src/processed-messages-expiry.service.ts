import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: ProcessedMessagesExpirySettings,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(Math.floor(Math.random() * this.settings.intervalMs));
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep now; resolves to the number of rows deleted (0 when it failed). */
  async sweep(now = new Date()): Promise<number> {
    this.running ??= this.deleteExpired(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.sweep().then(() => {
        if (this.timer) this.schedule(this.settings.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async deleteExpired(now: Date): Promise<number> {
    try {
      const deleted = await expireProcessedMessages(this.dataSource, { olderThanDays: this.settings.retentionDays, now });
      if (deleted > 0) this.logger.log({ msg: 'expired processed-message rows deleted', deleted, retentionDays: this.settings.retentionDays });
      return deleted;
    } catch (error) {
      this.logger.warn({ msg: 'processed-message expiry failed; retrying at the next sweep', err: error });
      return 0;
    }
  }
}
