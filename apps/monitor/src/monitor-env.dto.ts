import { BaseEnv, IntInRange, Pattern, Secret } from '@peerfed/platform/config';
import { IsOptional } from 'class-validator';

/** Environment of the monitor service: the shared variables plus circuits, admin API and lifecycle. */
export class MonitorEnv extends BaseEnv {
  override PORT = 3002;

  /** Consecutive failures that open a closed circuit. */
  @IntInRange(1, 1000)
  CIRCUIT_FAILURE_THRESHOLD = 5;

  /** Seconds an open circuit waits before turning half-open. */
  @IntInRange(1, 86_400)
  CIRCUIT_RECOVERY_TIMEOUT = 300;

  /** Probe successes that close a half-open circuit. */
  @IntInRange(1, 1000)
  CIRCUIT_SUCCESS_THRESHOLD = 3;

  /** How often open circuits past their timeout are turned half-open (ms); 0 disables the timer. */
  @IntInRange(0, 60_000)
  CIRCUIT_TIMER_INTERVAL_MS = 1000;

  /** Most delivery outcomes applied in one transaction. */
  @IntInRange(1, 1000)
  OUTCOME_BATCH_SIZE = 200;

  /** How long (ms) a lone outcome waits for others before its batch is applied. */
  @IntInRange(0, 1000)
  OUTCOME_BATCH_LINGER_MS = 5;

  /** Bearer token of the admin API until accounts with an admin role exist; unset: the admin API refuses everyone. */
  @IsOptional()
  @Secret()
  @Pattern(/^[A-Za-z0-9._~+/=-]{16,256}$/, 'must be 16-256 URL-safe characters')
  ADMIN_TOKEN?: string;

  /** Seconds acknowledged stream entries (completed tasks) are kept before trimming. */
  @IntInRange(60, 30 * 86_400)
  TASK_TTL = 86_400;

  /** A lane longer than this is trimmed down to its unacknowledged entries whatever their age. */
  @IntInRange(100, 100_000_000)
  STREAM_MAX_LENGTH = 100_000;

  /** Seconds a dead letter stays in Redis; older ones are archived to Postgres and removed. */
  @IntInRange(60, 90 * 86_400)
  DEAD_LETTER_RETENTION = 7 * 86_400;

  /** Days delivery records are kept in Postgres. */
  @IntInRange(1, 3650)
  DELIVERY_RECORD_RETENTION_DAYS = 30;

  /** used_memory above this percentage of maxmemory counts as memory pressure (trim harder). */
  @IntInRange(1, 100)
  MEMORY_PRESSURE_PERCENT = 80;

  /** How often the lifecycle job runs (ms); 0 disables it. */
  @IntInRange(0, 86_400_000)
  LIFECYCLE_INTERVAL_MS = 60_000;

  /** How long (ms) the admin API waits for the delivery service's reply on delivery.admin.v1 (then 504). */
  @IntInRange(100, 120_000)
  DELIVERY_ADMIN_TIMEOUT_MS = 10_000;

  /** Extra streams to inspect, trim and report, comma-separated (the contracts' streams are always included). */
  @IsOptional()
  @Pattern(/^[a-z][a-z0-9.-]*\.v[1-9][0-9]*(,[a-z][a-z0-9.-]*\.v[1-9][0-9]*)*$/, 'must be stream names like delivery.tasks.v1, comma-separated')
  MONITOR_STREAMS?: string;
}
