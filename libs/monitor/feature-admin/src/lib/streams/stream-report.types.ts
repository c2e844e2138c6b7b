import { type Priority } from '@peerfed/shared/contracts';

export interface ConsumerReport {
  readonly name: string;
  readonly pending: number;
  /** Milliseconds since the consumer last read or claimed. */
  readonly idleMs: number;
}

export interface GroupLaneReport {
  readonly group: string;
  readonly priority: Priority;
  readonly consumers: ConsumerReport[];
  readonly pending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell (after deletions). */
  readonly lag: number | null;
  readonly entriesRead: number | null;
  readonly lastDeliveredId: string;
  /** Age of the oldest entry still pending in this group, ms; null when nothing is pending. */
  readonly oldestPendingAgeMs: number | null;
}

export interface LaneReport {
  readonly key: string;
  readonly priority: Priority;
  readonly length: number;
  readonly firstEntryId: string | null;
  readonly lastEntryId: string | null;
  readonly groups: GroupLaneReport[];
}

export interface GroupReport {
  readonly group: string;
  readonly pending: number;
  readonly lag: number | null;
  readonly oldestPendingAgeMs: number | null;
  readonly consumers: number;
  /** Messages per second read by the group, over about 1 and 5 minutes (null until sampled). */
  readonly ratePerSecond1m: number | null;
  readonly ratePerSecond5m: number | null;
}

export interface StreamReport {
  readonly stream: string;
  readonly length: number;
  readonly lanes: LaneReport[];
  readonly groups: GroupReport[];
  readonly deadLetters: number;
}
