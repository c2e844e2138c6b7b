import { FederationEnv, HostList, IntInRange, Pattern } from '@peerfed/platform/config';
import { IsOptional } from 'class-validator';

/**
 * Environment of the delivery service: BaseEnv, the federation variables (PUBLIC_URL: our origin,
 * never delivered to; KEY_ENCRYPTION_KEY: opens the sealed keys of ingress.actor_keys, the same
 * value as ingress's; ALLOW_LOOPBACK_PEERS: plain http and loopback destinations, development
 * only) in FederationEnv, plus its own (see README).
 */
export class DeliveryEnv extends FederationEnv {
  override PORT = 3001;

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

  /**
   * Hosts to sign with RFC 9421 from the start, besides those learned at run time (hosts that
   * sent us RFC 9421 signatures). A host that refuses it gets draft-cavage from then on.
   */
  @HostList()
  RFC9421_HOSTS: readonly string[] = [];
}
