import { Inject, Injectable } from '@nestjs/common';
import { AuditLogRepository, DeadLetterArchiveRepository, MONITOR_CLOCK, MONITOR_REDIS, type MonitorClock } from '@peerfed/monitor/data-access';
import { type RedisConnection } from '@peerfed/platform/streams';
import { type DeadLetter, DeadLetterRepository } from '@peerfed/platform/streams';
import { type DeadLetterFilter, matchesFilter } from './dead-letter-filter.util';

const PAGE = 100;
/** Most entries one browse call looks at before returning a cursor. */
const SCAN_LIMIT = 2000;
/** Most entries one replay or purge call touches (call again for more). */
export const MUTATION_LIMIT = 10_000;

export interface DeadLetterBrowse {
  readonly items: DeadLetter[];
  /** Pass as `after` for the next page; null when the end was reached. */
  readonly nextCursor: string | null;
}

export interface PurgeSelection {
  readonly ids?: readonly string[];
  readonly olderThanMs?: number;
  readonly all?: boolean;
}

/**
 * Dead letters for admins and the lifecycle job, through the streams lib's dead-letter functions
 * (delivery's request/reply admin command does not exist yet). Anything removed from Redis is
 * archived to Postgres first.
 */
@Injectable()
export class DeadLetterAdminService {
  private readonly deadLetters: DeadLetterRepository;

  constructor(
    @Inject(MONITOR_REDIS) redis: RedisConnection,
    private readonly archive: DeadLetterArchiveRepository,
    private readonly audit: AuditLogRepository,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
  ) {
    this.deadLetters = new DeadLetterRepository(redis);
  }

  count(stream: string): Promise<number> {
    return this.deadLetters.count(stream);
  }

  async browse(stream: string, filter: DeadLetterFilter, limit: number, after?: string): Promise<DeadLetterBrowse> {
    const items: DeadLetter[] = [];
    let cursor = after;
    let scanned = 0;
    while (items.length < limit && scanned < SCAN_LIMIT) {
      const page = await this.deadLetters.list(stream, { count: PAGE, after: cursor });
      for (const deadLetter of page) {
        scanned++;
        cursor = deadLetter.id;
        if (matchesFilter(deadLetter, filter)) items.push(deadLetter);
        if (items.length === limit) return { items, nextCursor: cursor };
      }
      if (page.length < PAGE) return { items, nextCursor: null };
    }
    return { items, nextCursor: cursor ?? null };
  }

  /** Replays the given ids, or every entry matching the filter; returns the ids replayed. */
  async replay(stream: string, selection: { ids?: readonly string[]; filter: DeadLetterFilter }, actor: string, reason: string): Promise<string[]> {
    let replayed: string[];
    if (selection.ids) {
      replayed = [];
      for (const id of selection.ids) if (await this.deadLetters.replay(stream, id)) replayed.push(id);
    } else {
      const filter = selection.filter;
      replayed = await this.deadLetters.replayAll(stream, { group: filter.group, reason: filter.failure, where: (d) => matchesFilter(d, filter) }, MUTATION_LIMIT);
    }
    await this.audit.appendNow({
      actor, action: 'dead-letters.replay', target: stream, reason, at: this.clock.now(),
      details: { ids: selection.ids ?? null, filter: selection.filter, replayed: replayed.length },
    });
    return replayed;
  }

  /** Archives then deletes the selected dead letters; returns how many were removed. */
  async purge(stream: string, selection: PurgeSelection, actor: string, reason: string): Promise<number> {
    const now = this.clock.now();
    const ids = selection.ids ? new Set(selection.ids) : null;
    const removed = await this.archiveAndRemove(stream, (d) => {
      if (ids) return ids.has(d.id);
      if (selection.olderThanMs !== undefined) return entryTime(d.id) <= now - selection.olderThanMs;
      return selection.all === true;
    });
    await this.audit.appendNow({ actor, action: 'dead-letters.purge', target: stream, reason, at: now, details: { ...selection, removed } });
    return removed;
  }

  /**
   * Copies the dead letters matching `select` to Postgres, then deletes exactly those from Redis
   * (never one that was not archived). Bounded by MUTATION_LIMIT per call.
   */
  async archiveAndRemove(stream: string, select: (deadLetter: DeadLetter) => boolean): Promise<number> {
    let removed = 0;
    let after: string | undefined;
    while (removed < MUTATION_LIMIT) {
      const page = await this.deadLetters.list(stream, { count: PAGE, after });
      const chosen = page.filter(select).slice(0, MUTATION_LIMIT - removed);
      if (chosen.length > 0) {
        await this.archive.archive(chosen, this.clock.now());
        removed += await this.deadLetters.purge(stream, { ids: chosen.map((d) => d.id) });
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].id;
    }
    return removed;
  }
}

function entryTime(id: string): number {
  return Number(id.split('-')[0]);
}
