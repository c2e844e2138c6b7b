import { Inject, Injectable } from '@nestjs/common';
import { MONITOR_REDIS } from '@peerfed/monitor/data-access';
import { type RedisConnection } from '@peerfed/platform/streams';
import { DELIVERY_DELAYED_KEY, type DelayedRetry, groupRetries, parseDelayedMember, type RetryGroup } from './delayed-retries.util';

/** Most members one report reads (the earliest due); a bigger set is reported as a sample. */
export const RETRY_SCAN_LIMIT = 5000;
/** Members per ZRANGE call, so one call never holds Redis for long. */
const PAGE = 500;

export interface ScheduledRetries {
  readonly key: string;
  /** ZCARD: every scheduled try (retries and deferrals). */
  readonly scheduled: number;
  /** How many of the earliest due were read and grouped. */
  readonly scanned: number;
  /** false when scheduled > scanned: the groups count only the earliest `scanned` entries. */
  readonly complete: boolean;
  /** Members not in delivery's format (counted, not grouped). */
  readonly unreadable: number;
  /** ISO time of the earliest scheduled try overall; null when nothing is scheduled. */
  readonly nextDueAt: string | null;
  readonly groups: RetryGroup[];
}

/** Reads delivery's delayed-retry set (read only; delivery's poller moves due entries). */
@Injectable()
export class ScheduledRetriesService {
  constructor(@Inject(MONITOR_REDIS) private readonly redis: RedisConnection) {}

  async report(scanLimit = RETRY_SCAN_LIMIT): Promise<ScheduledRetries> {
    const scheduled = await this.redis.zcard(DELIVERY_DELAYED_KEY);
    const retries: DelayedRetry[] = [];
    let scanned = 0;
    let unreadable = 0;
    let nextDue: number | null = null;
    // By rank, earliest first: entries moved by delivery between two pages can shift ranks, so a
    // member may be skipped or read twice; the report is a snapshot, not an inventory.
    while (scanned < Math.min(scheduled, scanLimit)) {
      const raw = await this.redis.zrange(DELIVERY_DELAYED_KEY, scanned, Math.min(scanned + PAGE, scanLimit) - 1, 'WITHSCORES');
      if (raw.length === 0) break;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const score = Number(raw[i + 1]);
        nextDue ??= score;
        const retry = parseDelayedMember(raw[i], score);
        if (retry) retries.push(retry);
        else unreadable++;
      }
      scanned += raw.length / 2;
    }
    return {
      key: DELIVERY_DELAYED_KEY,
      scheduled,
      scanned,
      complete: scanned >= scheduled,
      unreadable,
      nextDueAt: nextDue === null ? null : new Date(nextDue).toISOString(),
      groups: groupRetries(retries),
    };
  }
}
