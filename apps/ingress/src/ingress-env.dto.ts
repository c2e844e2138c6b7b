import { BooleanFlag, DevelopmentOnlyFlag, FederationEnv, IntInRange, Pattern, ServiceUrl } from '@peerfed/platform/config';
import { IsOptional } from 'class-validator';

/**
 * Environment of the ingress service: BaseEnv, the federation variables (PUBLIC_URL,
 * KEY_ENCRYPTION_KEY, ALLOW_LOOPBACK_PEERS in FederationEnv) plus its own.
 */
export class IngressEnv extends FederationEnv {
  override PORT = 3000;

  @Pattern(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
  SOFTWARE_NAME = 'peerfed';

  @Pattern(/^[A-Za-z0-9.+_-]{1,64}$/, 'must be a version string')
  SOFTWARE_VERSION = '0.1.0';

  @ServiceUrl(['http', 'https'])
  SOFTWARE_REPOSITORY = 'https://github.com/peerfed/peerfed';

  /** Remote fetches may use plain http: development and tests only. */
  @DevelopmentOnlyFlag()
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
