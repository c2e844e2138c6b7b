import { DeliveryDomainError } from '../delivery-domain.exception';

/** A delivery waiting in one ordering lane (same orderingKey). */
export interface LaneEntry {
  readonly id: string;
  readonly activityType: string;
  /** Monotonic per lane, assigned at enqueue (e.g. a Redis stream id's ms-seq or an INCR). */
  readonly sequence: number;
  /** Being sent right now: cannot be superseded, and the lane waits for its outcome. */
  readonly inFlight?: boolean;
}

export interface LanePlan {
  /** The entry to send now, or undefined when the head is in flight (or the lane is empty). */
  readonly next?: LaneEntry;
  /** Entries that no longer need sending; the caller completes them as "superseded". */
  readonly superseded: readonly LaneEntry[];
}

/**
 * Sequencing rule for one lane: strictly in `sequence` order, one at a time; an entry leaves the
 * lane when delivered, permanently failed or given up, and until then (retries included) it
 * blocks the entries behind it. Before sending, pending entries made pointless by a later one
 * are dropped: an Update followed by another Update or a Delete (the remote only needs the final
 * state), and a Create followed by a Delete (never publish what is already deleted; the Delete is
 * still sent and is harmless for an object the remote never saw).
 */
export function planNextInOrder(entries: readonly LaneEntry[]): LanePlan {
  const sorted = [...entries].sort((a, b) => a.sequence - b.sequence);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].sequence === sorted[i - 1].sequence) {
      throw new DeliveryDomainError('INVALID_INPUT', `lane has two entries with sequence ${sorted[i].sequence}`);
    }
  }
  const superseded: LaneEntry[] = [];
  const kept: LaneEntry[] = [];
  let laterUpdateOrDelete = false;
  let laterDelete = false;
  // Walk newest to oldest so each entry knows what comes after it.
  for (let i = sorted.length - 1; i >= 0; i--) {
    const entry = sorted[i];
    const type = entry.activityType;
    const obsolete = !entry.inFlight && ((type === 'Update' && laterUpdateOrDelete) || (type === 'Create' && laterDelete));
    if (obsolete) superseded.push(entry);
    else kept.push(entry);
    if (type === 'Update' || type === 'Delete') laterUpdateOrDelete = true;
    if (type === 'Delete') laterDelete = true;
  }
  superseded.reverse();
  const head = kept.at(-1);
  return { next: head === undefined || head.inFlight ? undefined : head, superseded };
}
