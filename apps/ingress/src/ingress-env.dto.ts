import { BaseEnv, BooleanFlag, IntInRange, Pattern, Secret, ServiceUrl } from '@peerfed/platform/config';
import { Transform } from 'class-transformer';
import { Equals, IsOptional, ValidateIf } from 'class-validator';

/**
 * Fixed, public development key for KEY_ENCRYPTION_KEY: used only when NODE_ENV is not
 * production, so `npm start` works without setup. Production must set its own (>= 32 characters).
 */
export const DEV_KEY_ENCRYPTION_KEY = 'peerfed-development-only-key-encryption-key';

type EnvObject = { obj: Record<string, unknown>; value: unknown };
const notProduction = (obj: Record<string, unknown>): boolean => obj['NODE_ENV'] !== 'production';

/** Environment of the ingress service: the shared variables plus its own. */
export class IngressEnv extends BaseEnv {
  override PORT = 3000;

  /** The origin remote servers see; every actor and object id derives from it. */
  @ServiceUrl(['http', 'https'])
  PUBLIC_URL = 'http://localhost:3000';

  /** Seals local actors' private keys (AES-256-GCM). Required in production. */
  @Secret()
  @Transform(({ value, obj }: EnvObject) => (value === undefined && notProduction(obj) ? DEV_KEY_ENCRYPTION_KEY : value))
  @Pattern(/^.{32,}$/, 'must be at least 32 characters')
  KEY_ENCRYPTION_KEY!: string;

  @Pattern(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
  SOFTWARE_NAME = 'peerfed';

  @Pattern(/^[A-Za-z0-9.+_-]{1,64}$/, 'must be a version string')
  SOFTWARE_VERSION = '0.1.0';

  @ServiceUrl(['http', 'https'])
  SOFTWARE_REPOSITORY = 'https://github.com/peerfed/peerfed';

  /** Remote fetches may reach loopback addresses (never private ranges): development and tests only. */
  @Transform(({ value, obj }: EnvObject) => (value === undefined ? notProduction(obj) : value))
  @BooleanFlag()
  @ValidateIf((env: IngressEnv) => env.NODE_ENV === 'production')
  @Equals(false, { message: 'must be false in production' })
  ALLOW_LOOPBACK_PEERS!: boolean;

  /** Remote fetches may use plain http: development and tests only. */
  @Transform(({ value, obj }: EnvObject) => (value === undefined ? notProduction(obj) : value))
  @BooleanFlag()
  @ValidateIf((env: IngressEnv) => env.NODE_ENV === 'production')
  @Equals(false, { message: 'must be false in production' })
  ALLOW_HTTP_PEERS!: boolean;

  @IntInRange(100, 60_000)
  FETCH_TIMEOUT_MS = 10_000;

  @IntInRange(1024, 10_485_760)
  FETCH_MAX_BYTES = 1_048_576;

  @IntInRange(1024, 10_485_760)
  INBOX_MAX_BODY_BYTES = 1_048_576;

  @IntInRange(30, 43_200)
  MAX_CLOCK_SKEW_SECONDS = 3600;

  /** At least a day: a replayed activity id within it is answered 202 and not queued again. */
  @IntInRange(86_400, 2_592_000)
  SEEN_ACTIVITY_TTL_SECONDS = 172_800;

  /** Comma-separated domains whose actors are refused (subdomains included). */
  @IsOptional()
  @Pattern(/^[A-Za-z0-9.:-]+( *, *[A-Za-z0-9.:-]+)*$/, 'must be a comma-separated list of domains')
  BLOCKED_DOMAINS?: string;

  /**
   * Run the inbound workers (consumer group `ingress`) in this process. `false` makes an
   * inbox-only replica: inboxes and workers then scale as separate deployments.
   */
  @BooleanFlag()
  INBOUND_WORKERS = true;

  @IntInRange(1, 1_000_000)
  RATE_LIMIT_ACTOR_PER_HOUR = 100;

  @IntInRange(1, 1_000_000)
  RATE_LIMIT_OUTBOX_PER_HOUR = 50;
}
