import {
  type DeliveryFilter,
  type DeliveryRecord,
  type InstanceStats,
  type RejectionFilter,
  type RejectionRecord,
} from './fedisim.types';

type NewDelivery = Omit<DeliveryRecord, 'seq' | 'receivedAt' | 'signatureOk' | 'accepted'>;
type NewRejection = Omit<RejectionRecord, 'seq' | 'receivedAt'>;

interface Counters {
  received: number;
  accepted: number;
  signatureFailures: number;
  malformed: number;
  tooLarge: number;
  inFlight: number;
  maxConcurrent: number;
  byInbox: Map<string, number>;
  documentGets: number;
}

interface Waiter {
  readonly wanted: number;
  readonly filter: DeliveryFilter;
  seen: number;
  readonly settle: (error?: Error) => void;
}

function newCounters(inFlight = 0): Counters {
  return {
    received: 0,
    accepted: 0,
    signatureFailures: 0,
    malformed: 0,
    tooLarge: 0,
    inFlight,
    maxConcurrent: inFlight,
    byInbox: new Map(),
    documentGets: 0,
  };
}

export function isAccepted(outcome: DeliveryRecord['outcome']): boolean {
  return typeof outcome === 'number' && outcome >= 200 && outcome < 300;
}

export function matchesDelivery(record: DeliveryRecord, filter: DeliveryFilter): boolean {
  return (Object.keys(filter) as Array<keyof DeliveryFilter>).every(
    (key) => filter[key] === undefined || record[key] === filter[key],
  );
}

function matchesRejection(record: RejectionRecord, filter: RejectionFilter): boolean {
  return (Object.keys(filter) as Array<keyof RejectionFilter>).every(
    (key) => filter[key] === undefined || record[key] === filter[key],
  );
}

/**
 * Everything the simulated instances observed: delivery and rejection records in arrival order,
 * exact counters per instance, inbox and activity id, in-flight and peak concurrency, and waiters
 * that resolve once enough deliveries have arrived. Records are capped at `maxRecords` (oldest
 * dropped); counters are not.
 */
export class DeliveryLog {
  private seq = 0;
  private records: DeliveryRecord[] = [];
  private rejectionRecords: RejectionRecord[] = [];
  private readonly counters = new Map<string, Counters>();
  private readonly byActivityId = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private closed = false;

  constructor(
    private readonly maxRecords: number,
    private readonly now: () => number = Date.now,
  ) {}

  private of(instance: string): Counters {
    let counters = this.counters.get(instance);
    if (!counters) {
      counters = newCounters();
      this.counters.set(instance, counters);
    }
    return counters;
  }

  private push<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > this.maxRecords) list.splice(0, list.length - this.maxRecords);
  }

  /** An inbox POST starts (before its body is read). */
  enter(instance: string): void {
    const counters = this.of(instance);
    counters.inFlight += 1;
    counters.maxConcurrent = Math.max(counters.maxConcurrent, counters.inFlight);
  }

  /** That POST's connection or response is over. */
  leave(instance: string): void {
    const counters = this.of(instance);
    counters.inFlight = Math.max(0, counters.inFlight - 1);
  }

  countDocumentGet(instance: string): void {
    this.of(instance).documentGets += 1;
  }

  recordDelivery(delivery: NewDelivery): DeliveryRecord {
    this.seq += 1;
    const accepted = isAccepted(delivery.outcome);
    const record: DeliveryRecord = { ...delivery, seq: this.seq, receivedAt: this.now(), signatureOk: true, accepted };
    this.push(this.records, record);
    const counters = this.of(record.instance);
    counters.received += 1;
    if (accepted) counters.accepted += 1;
    counters.byInbox.set(record.inbox, (counters.byInbox.get(record.inbox) ?? 0) + 1);
    this.byActivityId.set(record.activityId, (this.byActivityId.get(record.activityId) ?? 0) + 1);
    for (const waiter of this.waiters) {
      if (matchesDelivery(record, waiter.filter)) waiter.seen += 1;
      if (waiter.seen >= waiter.wanted) waiter.settle();
    }
    return record;
  }

  /** The client left before a delayed answer: the delivery was not accepted after all. */
  abandon(record: DeliveryRecord): void {
    const index = this.records.lastIndexOf(record);
    if (index === -1) return;
    this.records[index] = { ...record, outcome: 'abandoned', accepted: false };
    if (record.accepted) this.of(record.instance).accepted -= 1;
  }

  recordRejection(rejection: NewRejection): RejectionRecord {
    this.seq += 1;
    const record: RejectionRecord = { ...rejection, seq: this.seq, receivedAt: this.now() };
    this.push(this.rejectionRecords, record);
    const counters = this.of(record.instance);
    if (record.kind === 'signature') counters.signatureFailures += 1;
    else if (record.kind === 'malformed') counters.malformed += 1;
    else counters.tooLarge += 1;
    return record;
  }

  deliveries(filter: DeliveryFilter = {}): DeliveryRecord[] {
    return this.records.filter((record) => matchesDelivery(record, filter));
  }

  count(filter: DeliveryFilter = {}): number {
    return this.records.reduce((sum, record) => sum + (matchesDelivery(record, filter) ? 1 : 0), 0);
  }

  rejections(filter: RejectionFilter = {}): RejectionRecord[] {
    return this.rejectionRecords.filter((record) => matchesRejection(record, filter));
  }

  /** Exact number of verified POSTs carrying this activity id (all instances, any outcome). */
  receivedActivity(activityId: string): number {
    return this.byActivityId.get(activityId) ?? 0;
  }

  /** Activity types seen for an object id, in arrival order (accepted deliveries only by default). */
  arrivalOrder(objectId: string, acceptedOnly = true): string[] {
    return this.records
      .filter((record) => record.objectId === objectId && (!acceptedOnly || record.accepted))
      .map((record) => record.type);
  }

  stats(instance: string): InstanceStats {
    const counters = this.of(instance);
    return {
      received: counters.received,
      accepted: counters.accepted,
      signatureFailures: counters.signatureFailures,
      malformed: counters.malformed,
      tooLarge: counters.tooLarge,
      inFlight: counters.inFlight,
      maxConcurrent: counters.maxConcurrent,
      byInbox: Object.fromEntries(counters.byInbox),
      documentGets: counters.documentGets,
    };
  }

  /** Totals over all instances. */
  totals(): { received: number; accepted: number; signatureFailures: number; malformed: number; tooLarge: number } {
    let received = 0;
    let accepted = 0;
    let signatureFailures = 0;
    let malformed = 0;
    let tooLarge = 0;
    for (const counters of this.counters.values()) {
      received += counters.received;
      accepted += counters.accepted;
      signatureFailures += counters.signatureFailures;
      malformed += counters.malformed;
      tooLarge += counters.tooLarge;
    }
    return { received, accepted, signatureFailures, malformed, tooLarge };
  }

  /**
   * Resolves with the matching records once at least `count` deliveries matching `filter` have
   * been recorded since the last reset; rejects after `timeoutMs` with what was seen.
   */
  waitForDeliveries(count: number, timeoutMs: number, filter: DeliveryFilter = {}): Promise<DeliveryRecord[]> {
    if (!Number.isInteger(count) || count < 0) return Promise.reject(new RangeError(`count must be a non-negative integer, got ${count}`));
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) return Promise.reject(new RangeError(`timeoutMs must be >= 0, got ${timeoutMs}`));
    if (this.closed) return Promise.reject(new Error('the fediverse simulator is stopped'));
    const already = this.count(filter);
    if (already >= count) return Promise.resolve(this.deliveries(filter));
    return new Promise<DeliveryRecord[]>((resolve, reject) => {
      const waiter: Waiter = {
        wanted: count,
        filter,
        seen: already,
        settle: (error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          if (error) reject(error);
          else resolve(this.deliveries(filter));
        },
      };
      const timer = setTimeout(() => {
        waiter.settle(
          new Error(`waitForDeliveries: ${waiter.seen} of ${count} deliveries matching ${JSON.stringify(filter)} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Forgets records and counters; in-flight requests stay counted (they are still running). */
  reset(): void {
    this.records = [];
    this.rejectionRecords = [];
    this.byActivityId.clear();
    for (const [instance, counters] of this.counters) this.counters.set(instance, newCounters(counters.inFlight));
    for (const waiter of this.waiters) waiter.seen = 0;
  }

  /** Rejects pending waiters; later waits fail at once. */
  close(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.settle(new Error('the fediverse simulator stopped'));
  }
}
