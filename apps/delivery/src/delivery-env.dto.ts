import { BaseEnv, BooleanFlag, IntInRange, Pattern, Secret, ServiceUrl } from '@peerfed/platform/config';
import { Transform } from 'class-transformer';
import { Equals, IsOptional, ValidateIf } from 'class-validator';

/**
 * The public development value of KEY_ENCRYPTION_KEY, the same as ingress's (both services open
 * the keys of ingress.actor_keys). Used only when NODE_ENV is not production.
 */
export const DEV_KEY_ENCRYPTION_KEY = 'peerfed-development-only-key-encryption-key';

type EnvObject = { obj: Record<string, unknown>; value: unknown };
const notProduction = (obj: Record<string, unknown>): boolean => obj['NODE_ENV'] !== 'production';

/** Environment of the delivery service: the shared variables plus its own (see README). */
export class DeliveryEnv extends BaseEnv {
  override PORT = 3001;

  /** Our public origin (ingress's PUBLIC_URL): its host is never delivered to. */
  @ServiceUrl(['http', 'https'])
  PUBLIC_URL = 'http://localhost:3000';

  /** Opens the sealed private keys in ingress.actor_keys. Required in production. */
  @Secret()
  @Transform(({ value, obj }: EnvObject) => (value === undefined && notProduction(obj) ? DEV_KEY_ENCRYPTION_KEY : value))
  @Pattern(/^.{32,}$/, 'must be at least 32 characters')
  KEY_ENCRYPTION_KEY!: string;

  /** Plain http and loopback destinations: development and tests only, refused in production. */
  @Transform(({ value, obj }: EnvObject) => (value === undefined ? notProduction(obj) : value))
  @BooleanFlag()
  @ValidateIf((env: DeliveryEnv) => env.NODE_ENV === 'production')
  @Equals(false, { message: 'must be false in production' })
  ALLOW_LOOPBACK_PEERS!: boolean;

  /** Requests per destination host per RATE_LIMIT_WINDOW, shared by all replicas. */
  @IntInRange(1, 1_000_000)
  RATE_LIMIT_PER_DESTINATION = 100;

  /** Seconds. */
  @IntInRange(1, 86_400)
  RATE_LIMIT_WINDOW = 60;

  /** Requests over all destinations per RATE_LIMIT_GLOBAL_WINDOW, all replicas together; 0 disables it. */
  @IntInRange(0, 10_000_000)
  RATE_LIMIT_GLOBAL = 3000;

  /** Seconds. */
  @IntInRange(1, 86_400)
  RATE_LIMIT_GLOBAL_WINDOW = 1;

  /** Requests in flight to one host from one replica (also the keep-alive pool size per origin). */
  @IntInRange(1, 64)
  MAX_CONCURRENT_PER_HOST = 4;

  /** Stable consumer name (the pod name): a restarted replica takes its pending tasks back at once. */
  @IsOptional()
  @Pattern(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 letters, digits, dots, colons, dashes or underscores')
  DELIVERY_CONSUMER_NAME?: string;

  /** Delivery tasks handled at once by one replica. */
  @IntInRange(1, 2000)
  DELIVERY_CONCURRENCY = 64;

  /** Seconds: no retry is scheduled later than this after the first try (2 days). */
  @IntInRange(60, 2_592_000)
  MAX_RETRY_DURATION = 172_800;

  /** Seconds before the first retry (before jitter); later ones grow by the policy's factor. */
  @IntInRange(1, 3600)
  RETRY_BASE_DELAY = 30;

  /** Seconds the delivery status of an activity stays queryable in Redis (then only in Postgres). */
  @IntInRange(60, 2_592_000)
  TASK_TTL = 86_400;

  @IntInRange(100, 60_000)
  DELIVERY_CONNECT_TIMEOUT_MS = 5_000;

  /** Whole request, headers and body included. */
  @IntInRange(100, 120_000)
  DELIVERY_TIMEOUT_MS = 15_000;

  @IntInRange(1024, 10_485_760)
  DELIVERY_MAX_RESPONSE_BYTES = 65_536;
}
