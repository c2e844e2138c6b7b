import { type RedisStreamsConnectionOptions } from '@peerfed/platform/streams';
import {
  DeliveryAdminV1,
  DeliveryGoneV1,
  DeliveryOutboundV1,
  DeliveryOutcomesV1,
  IngressFollowersV1,
  IngressInboundV1,
  IngressPostsV1,
  IngressVotesV1,
} from '@peerfed/shared/contracts';

export const ADMIN_SETTINGS = Symbol('ADMIN_SETTINGS');

export interface LifecycleSettings {
  /** How often the job runs; 0 disables the schedule (runOnce() still works). */
  readonly intervalMs: number;
  /** Acknowledged entries (completed tasks) younger than this are kept. */
  readonly taskTtlMs: number;
  /** A lane longer than this is trimmed to its unacknowledged entries whatever their age. */
  readonly streamMaxLength: number;
  /** Dead letters older than this are archived to Postgres and removed from Redis. */
  readonly deadLetterRetentionMs: number;
  readonly deliveryRecordRetentionDays: number;
  /** used_memory / maxmemory above this (percent) is memory pressure. */
  readonly memoryPressurePercent: number;
}

export interface AdminSettings {
  /** Bearer token of the admin API; undefined: nobody is admin (every request 403, or 401 without a token). */
  readonly adminToken?: string;
  /** Logical streams to inspect, trim and report. */
  readonly streams: readonly string[];
  readonly lifecycle: LifecycleSettings;
  /** delivery.admin.v1 requests (delivery's dead letters): the Redis they go through, and how long to wait for delivery's reply. */
  readonly deliveryAdmin: DeliveryAdminSettings;
}

export interface DeliveryAdminSettings {
  readonly connection: RedisStreamsConnectionOptions;
  readonly requestTimeoutMs: number;
}

/**
 * The streams of the platform's contracts, plus delivery's internal task stream: what the monitor
 * reports (length, lag, pending) and its lifecycle trims. A stream without consumer groups (the
 * events the challenges service will read) is reported and kept whole until a group reads it.
 */
export const PLATFORM_STREAMS: readonly string[] = [
  IngressInboundV1.stream,
  IngressFollowersV1.stream,
  IngressVotesV1.stream,
  IngressPostsV1.stream,
  DeliveryOutboundV1.stream,
  'delivery.tasks.v1',
  DeliveryOutcomesV1.stream,
  DeliveryGoneV1.stream,
  DeliveryAdminV1.stream,
];
