import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DeliveryRecordRepository, MONITOR_CLOCK, MONITOR_REDIS, type MonitorClock } from '@peerfed/monitor/data-access';
import { expireProcessedMessages } from '@peerfed/platform/database';
import { type RedisConnection } from '@peerfed/platform/streams';
import { laneKeys, trimStream } from '@peerfed/platform/streams';
import { PeriodicJob } from '@peerfed/shared/util';
import { DataSource } from 'typeorm';
import { ADMIN_SETTINGS, type AdminSettings } from '../admin-settings.types';
import { DeadLetterAdminService } from '../dead-letters/dead-letter-admin.service';
import { MonitorMetricsService } from '../metrics/monitor-metrics.service';
import { withRedisLock } from './lifecycle-lock.util';
import { type LaneTrim, type LifecycleReport } from './lifecycle-report.types';
import { MemoryReader } from './memory-reader.service';

export const LIFECYCLE_LOCK_KEY = '{monitor}:lifecycle:lock';
export const LIFECYCLE_LAST_RUN_KEY = '{monitor}:lifecycle:last-run';
const LOCK_TTL_MS = 5 * 60_000;
/** Under memory pressure dead letters older than this leave Redis (archived first). */
const PRESSURE_DEAD_LETTER_AGE_MS = 60 * 60_000;
/** The monitor's own idempotency rows outlive any redelivery or replay window. */
const PROCESSED_MESSAGES_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Keeps Redis bounded, one runner at a time across replicas (a Redis lock with a TTL):
 * archive old dead letters to Postgres, trim acknowledged entries older than TASK_TTL (never a
 * pending or undelivered one: the streams lib's safe trim), trim long lanes and everything
 * acknowledged under memory pressure, expire old delivery records and processed-message rows.
 */
@Injectable()
export class LifecycleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LifecycleService.name);
  private readonly runs = new PeriodicJob(() => this.runOnce(), (error) => this.logger.error({ msg: 'lifecycle run failed', err: error }));

  constructor(
    @Inject(MONITOR_REDIS) private readonly redis: RedisConnection,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
    @Inject(ADMIN_SETTINGS) private readonly settings: AdminSettings,
    private readonly dataSource: DataSource,
    private readonly memory: MemoryReader,
    private readonly deadLetters: DeadLetterAdminService,
    private readonly records: DeliveryRecordRepository,
    private readonly metrics: MonitorMetricsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.lifecycle.intervalMs <= 0) return;
    this.runs.start(this.settings.lifecycle.intervalMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.runs.stop();
  }

  /** One run; null when another replica (or run) holds the lock. */
  run(): Promise<LifecycleReport | null> {
    return this.runs.runNow();
  }

  async lastRun(): Promise<LifecycleReport | null> {
    const raw = await this.redis.get(LIFECYCLE_LAST_RUN_KEY);
    return raw ? (JSON.parse(raw) as LifecycleReport) : null;
  }

  /** A failed run counts in the metrics whether a tick or a caller (the admin API) started it. */
  private runOnce(): Promise<LifecycleReport | null> {
    return withRedisLock(this.redis, LIFECYCLE_LOCK_KEY, LOCK_TTL_MS, () => this.runLocked()).catch((error: unknown) => {
      this.metrics.recordLifecycleFailure();
      throw error;
    });
  }

  private async runLocked(): Promise<LifecycleReport> {
    const policy = this.settings.lifecycle;
    const startedAt = this.clock.now();
    const errors: string[] = [];
    const step = async <T>(name: string, fallback: T, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        return fallback;
      }
    };

    const memory = await this.memory.status();
    const deadLetterAge = memory.pressure ? Math.min(policy.deadLetterRetentionMs, PRESSURE_DEAD_LETTER_AGE_MS) : policy.deadLetterRetentionMs;
    let deadLettersArchived = 0;
    const trims: LaneTrim[] = [];
    for (const stream of this.settings.streams) {
      deadLettersArchived += await step(`archive ${stream}`, 0, () =>
        this.deadLetters.archiveAndRemove(stream, (d) => Number(d.id.split('-')[0]) <= startedAt - deadLetterAge),
      );
      trims.push(...(await step(`trim ${stream}`, [], () => this.trim(stream, memory.pressure, startedAt))));
    }
    const deliveryRecordsExpired = await step('expire delivery records', 0, () =>
      this.records.expireBefore(startedAt - policy.deliveryRecordRetentionDays * DAY_MS),
    );
    const processedMessagesExpired = await step('expire processed messages', 0, () =>
      expireProcessedMessages(this.dataSource, { olderThanDays: PROCESSED_MESSAGES_DAYS, now: new Date(startedAt) }),
    );
    const report: LifecycleReport = {
      startedAt,
      finishedAt: this.clock.now(),
      memoryPressure: memory.pressure,
      usedMemoryBytes: memory.usedMemoryBytes,
      maxMemoryBytes: memory.maxMemoryBytes,
      trims,
      trimmedTotal: trims.reduce((sum, t) => sum + t.trimmed, 0),
      deadLettersArchived,
      deliveryRecordsExpired,
      processedMessagesExpired,
      errors,
    };
    await this.redis.set(LIFECYCLE_LAST_RUN_KEY, JSON.stringify(report));
    this.metrics.recordLifecycle(report);
    const level = memory.pressure || errors.length > 0 ? 'warn' : 'log';
    this.logger[level]({ msg: 'lifecycle run', memoryPressure: memory.pressure, trimmed: report.trimmedTotal, deadLettersArchived, errors });
    return report;
  }

  /** Age-bounded trim normally; everything acknowledged when a lane is too long or memory is short. */
  private async trim(stream: string, pressure: boolean, now: number): Promise<LaneTrim[]> {
    const lengths = await Promise.all(laneKeys(stream).map((key) => this.redis.xlen(key)));
    const hard = pressure || lengths.some((length) => length > this.settings.lifecycle.streamMaxLength);
    const results = await trimStream(this.redis, stream, hard ? { approximate: false } : { maxAgeMs: this.settings.lifecycle.taskTtlMs, now, approximate: false });
    return results.filter((r) => r.trimmed > 0 || hard).map((r) => ({ key: r.key, trimmed: r.trimmed, hard }));
  }
}
