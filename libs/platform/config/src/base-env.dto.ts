import { Transform } from 'class-transformer';
import { IsOptional, ValidateIf } from 'class-validator';
import { BooleanFlag, HostPortList, IntInRange, OneOf, Pattern, ServiceUrl } from './env-rules.util';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * What every Peerfed service reads from its environment. Each app extends this class with its
 * own variables (and its own PORT default). Every field carries a rule decorator: that is how
 * loadConfig knows which variables to read.
 */
export class BaseEnv {
  @OneOf(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  /** Listen address. */
  @Pattern(/^[A-Za-z0-9.:-]+$/, 'must be a host name or IP address')
  HOST = '0.0.0.0';

  /** 0 lets the OS pick a free port (tests). */
  @IntInRange(0, 65535)
  PORT = 3000;

  @OneOf(LOG_LEVELS)
  LOG_LEVEL: LogLevelName = 'info';

  @ServiceUrl(['postgres', 'postgresql'])
  DATABASE_URL!: string;

  @IntInRange(2, 100)
  DATABASE_POOL_SIZE = 10;

  /** Required unless REDIS_CLUSTER_NODES is set (which then takes precedence). */
  @ValidateIf((env: BaseEnv) => env.REDIS_CLUSTER_NODES === undefined)
  @ServiceUrl(['redis', 'rediss'], 'is required unless REDIS_CLUSTER_NODES is set')
  REDIS_URL?: string;

  @IsOptional()
  @HostPortList()
  REDIS_CLUSTER_NODES?: readonly string[];

  /** How long readiness answers 503 before the server closes, so load balancers stop routing first. */
  @Transform(({ value, obj }: { value: unknown; obj: Record<string, unknown> }) =>
    value === undefined ? (obj['NODE_ENV'] === 'production' ? 5000 : 0) : value,
  )
  @IntInRange(0, 600_000)
  SHUTDOWN_GRACE_MS!: number;

  /** Messages a consumer reads per batch. */
  @IntInRange(1, 1000)
  MAX_BATCH_SIZE = 10;

  /** Apply pending migrations at start-up (under an advisory lock, safe with several replicas). */
  @BooleanFlag()
  MIGRATIONS_RUN = true;

  /**
   * Days a consumed message id stays in processed_messages (the idempotency record). A message
   * redelivered or replayed after that runs again, so keep it above the longest replay window.
   */
  @IntInRange(1, 3650)
  PROCESSED_MESSAGES_RETENTION_DAYS = 14;
}
