import { type RateLimit } from '@peerfed/delivery/data-access';
import { type RetryConfig } from '@peerfed/delivery/domain';

/** Everything the delivery use cases need from the service's validated env. */
export interface DeliverySettings {
  /** Our own hosts (host[:port] or origins): never delivered to. */
  localHosts: string[];
  perHostLimit: RateLimit;
  /** Over all destinations; undefined: no global limit. */
  globalLimit?: RateLimit;
  /** Requests in flight to one host: from one process, and from all replicas together. */
  maxConcurrentPerHost: number;
  /**
   * How long a host slot stays taken by a replica that died mid-request (it lapses then): longer
   * than one attempt can take, two requests when a host refuses RFC 9421.
   */
  inFlightLeaseMs: number;
  /** A task waits this long for a host slot before it is deferred instead. */
  hostSlotWaitMs: number;
  retry: RetryConfig;
  /** Delay before re-checking a host that is blocked (no openUntil). */
  blockedRecheckMs: number;
  /** Due retries moved back per poll. */
  pollBatch: number;
  /** How long delivery status stays queryable in Redis (TASK_TTL, 24 h). */
  statusTtlMs: number;
  /** Hosts signed with RFC 9421 from the start (RFC9421_HOSTS); others once they are known to accept it. */
  rfc9421Hosts?: readonly string[];
}

/** Time and randomness, injected so tests control them. */
export interface DeliveryClock {
  now(): number;
  random(): number;
}

export const systemDeliveryClock: DeliveryClock = { now: () => Date.now(), random: () => Math.random() };
