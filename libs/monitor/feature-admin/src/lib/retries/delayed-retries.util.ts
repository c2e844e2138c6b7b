import { DeliveryTasksV1, isPriority, type Priority, streamSlotKey } from '@peerfed/shared/contracts';

/**
 * Delivery's delayed-retry sorted set (score = due time in epoch ms; member = `<lane>\n<task
 * envelope JSON>`), documented in apps/delivery/README.md ("Retry policy"). Delivery builds the
 * same key from the same contract helper; the monitor may not import delivery's libs, so this is
 * the one place the monitor names it.
 */
export const DELIVERY_DELAYED_KEY = streamSlotKey(DeliveryTasksV1.stream, 'delayed');

export interface DelayedRetry {
  readonly dueAt: number;
  readonly priority: Priority;
  readonly activityType: string;
  /** The attempt the scheduled try will make (1 = first try, deferred by a circuit or rate limit). */
  readonly attempt: number;
}

export interface RetryGroup {
  readonly activityType: string;
  readonly attempt: number;
  readonly count: number;
  /** ISO time of the earliest due entry of this group. */
  readonly nextDueAt: string;
}

/** One member of the delayed set, or null when it is not in delivery's format. */
export function parseDelayedMember(member: string, score: number): DelayedRetry | null {
  const sep = member.indexOf('\n');
  if (sep < 0 || !Number.isFinite(score)) return null;
  const lane = member.slice(0, sep);
  let envelope: unknown;
  try {
    envelope = JSON.parse(member.slice(sep + 1));
  } catch {
    return null;
  }
  const payload = typeof envelope === 'object' && envelope !== null ? (envelope as { payload?: unknown }).payload : undefined;
  if (typeof payload !== 'object' || payload === null) return null;
  const { activityType, attempt } = payload as { activityType?: unknown; attempt?: unknown };
  if (typeof activityType !== 'string' || typeof attempt !== 'number' || !Number.isInteger(attempt)) return null;
  return { dueAt: score, priority: isPriority(lane) ? lane : 'medium', activityType, attempt };
}

/** Counts per activity type and attempt, with each group's earliest due time; sorted by type, then attempt. */
export function groupRetries(retries: readonly DelayedRetry[]): RetryGroup[] {
  const groups = new Map<string, { activityType: string; attempt: number; count: number; dueAt: number }>();
  for (const retry of retries) {
    const key = `${retry.activityType}\n${retry.attempt}`;
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.dueAt = Math.min(group.dueAt, retry.dueAt);
    } else {
      groups.set(key, { activityType: retry.activityType, attempt: retry.attempt, count: 1, dueAt: retry.dueAt });
    }
  }
  return [...groups.values()]
    .sort((a, b) => (a.activityType === b.activityType ? a.attempt - b.attempt : a.activityType < b.activityType ? -1 : 1))
    .map((g) => ({ activityType: g.activityType, attempt: g.attempt, count: g.count, nextDueAt: new Date(g.dueAt).toISOString() }));
}
