import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MONITOR_CLOCK, MONITOR_REDIS, type MonitorClock } from '@peerfed/monitor/data-access';
import { type RedisConnection } from '@peerfed/platform/streams';
import { deadLetterKey, laneKey } from '@peerfed/platform/streams';
import { PRIORITIES, type Priority } from '@peerfed/shared/contracts';
import { ADMIN_SETTINGS, type AdminSettings } from '../admin-settings.types';
import { RateTracker } from './rate-tracker.util';
import { asNumber, flatToRecord, idTime } from './redis-reply.util';
import { type ConsumerReport, type GroupLaneReport, type GroupReport, type LaneReport, type StreamReport } from './stream-report.types';

const MINUTE = 60_000;
const SAMPLE_EVERY_MS = 10_000;

/**
 * Reads the state of every known stream from Redis (XINFO STREAM / GROUPS / CONSUMERS, XPENDING),
 * one key at a time so it works on Redis Cluster. Samples each group's entries-read in the
 * background to report processing rates.
 */
@Injectable()
export class StreamInspector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StreamInspector.name);
  private readonly rates = new RateTracker(6 * MINUTE, SAMPLE_EVERY_MS / 2);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(MONITOR_REDIS) private readonly redis: RedisConnection,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
    @Inject(ADMIN_SETTINGS) private readonly settings: AdminSettings,
  ) {}

  get streams(): readonly string[] {
    return this.settings.streams;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.inspectAll().catch((error: unknown) => this.logger.warn({ msg: 'stream sampling failed', err: error }));
    }, SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async inspectAll(): Promise<StreamReport[]> {
    const reports: StreamReport[] = [];
    for (const stream of this.settings.streams) reports.push(await this.inspect(stream));
    return reports;
  }

  async inspect(stream: string): Promise<StreamReport> {
    const now = this.clock.now();
    const lanes: LaneReport[] = [];
    for (const priority of PRIORITIES) {
      const lane = await this.inspectLane(stream, priority, now);
      if (lane) lanes.push(lane);
    }
    const deadLetters = await this.redis.xlen(deadLetterKey(stream));
    return { stream, length: lanes.reduce((sum, lane) => sum + lane.length, 0), lanes, groups: this.summarise(stream, lanes, now), deadLetters };
  }

  private summarise(stream: string, lanes: LaneReport[], now: number): GroupReport[] {
    const names = [...new Set(lanes.flatMap((lane) => lane.groups.map((g) => g.group)))].sort();
    return names.map((group) => {
      const parts = lanes.flatMap((lane) => lane.groups.filter((g) => g.group === group));
      const ages = parts.map((p) => p.oldestPendingAgeMs).filter((age): age is number => age !== null);
      const read = parts.reduce((sum, p) => sum + (p.entriesRead ?? 0), 0);
      const key = `${stream}|${group}`;
      this.rates.record(key, read, now);
      return {
        group,
        pending: parts.reduce((sum, p) => sum + p.pending, 0),
        lag: parts.some((p) => p.lag === null) ? null : parts.reduce((sum, p) => sum + (p.lag ?? 0), 0),
        oldestPendingAgeMs: ages.length === 0 ? null : Math.max(...ages),
        consumers: new Set(parts.flatMap((p) => p.consumers.map((c) => c.name))).size,
        ratePerSecond1m: this.rates.rate(key, read, now, MINUTE),
        ratePerSecond5m: this.rates.rate(key, read, now, 5 * MINUTE),
      };
    });
  }

  private async inspectLane(stream: string, priority: Priority, now: number): Promise<LaneReport | null> {
    const key = laneKey(stream, priority);
    if ((await this.redis.exists(key)) === 0) return null;
    const info = flatToRecord(await this.redis.call('XINFO', 'STREAM', key));
    const first = Array.isArray(info['first-entry']) ? String((info['first-entry'] as unknown[])[0]) : null;
    const groups: GroupLaneReport[] = [];
    const rawGroups = (await this.redis.call('XINFO', 'GROUPS', key)) as unknown[];
    for (const raw of rawGroups) {
      const g = flatToRecord(raw);
      const group = String(g['name']);
      const pending = asNumber(g['pending']) ?? 0;
      groups.push({
        group,
        priority,
        pending,
        lag: asNumber(g['lag']),
        entriesRead: asNumber(g['entries-read']),
        lastDeliveredId: String(g['last-delivered-id']),
        oldestPendingAgeMs: pending > 0 ? await this.oldestPendingAge(key, group, now) : null,
        consumers: await this.consumers(key, group),
      });
    }
    return { key, priority, length: asNumber(info['length']) ?? 0, firstEntryId: first, lastEntryId: typeof info['last-generated-id'] === 'string' ? info['last-generated-id'] : null, groups };
  }

  private async oldestPendingAge(key: string, group: string, now: number): Promise<number | null> {
    const summary = (await this.redis.call('XPENDING', key, group)) as unknown[];
    const created = idTime(summary[1]);
    return created === null ? null : Math.max(0, now - created);
  }

  private async consumers(key: string, group: string): Promise<ConsumerReport[]> {
    const raw = (await this.redis.call('XINFO', 'CONSUMERS', key, group)) as unknown[];
    return raw.map((entry) => {
      const c = flatToRecord(entry);
      return { name: String(c['name']), pending: asNumber(c['pending']) ?? 0, idleMs: asNumber(c['idle']) ?? 0 };
    });
  }
}
