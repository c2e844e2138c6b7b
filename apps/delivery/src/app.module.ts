import { Module } from '@nestjs/common';
import { DEFAULT_RETRY_CONFIG } from '@peerfed/delivery/domain';
import { DeliveryFeatureModule, type DeliveryFeatureOptions } from '@peerfed/delivery/feature-delivery';
import { DatabaseModule } from '@peerfed/platform/database';
import { createRedisConnection } from '@peerfed/platform/observability';
import { DELIVERY_DATABASE } from './database/delivery-database.util';
import { DeliveryEnv } from './delivery-env.dto';

/** Maps the validated env onto the delivery feature's options. */
export function deliveryOptions(env: DeliveryEnv): DeliveryFeatureOptions {
  return {
    settings: {
      localHosts: [env.PUBLIC_URL],
      perHostLimit: { limit: env.RATE_LIMIT_PER_DESTINATION, windowMs: env.RATE_LIMIT_WINDOW * 1000 },
      ...(env.RATE_LIMIT_GLOBAL > 0 && { globalLimit: { limit: env.RATE_LIMIT_GLOBAL, windowMs: env.RATE_LIMIT_GLOBAL_WINDOW * 1000 } }),
      maxConcurrentPerHost: env.MAX_CONCURRENT_PER_HOST,
      // An attempt is at most two requests (RFC 9421, then draft-cavage), each within the timeout.
      inFlightLeaseMs: 2 * env.DELIVERY_TIMEOUT_MS + 5_000,
      hostSlotWaitMs: 2_000,
      retry: { ...DEFAULT_RETRY_CONFIG, baseDelayMs: env.RETRY_BASE_DELAY * 1000, maxRetryDurationMs: env.MAX_RETRY_DURATION * 1000 },
      blockedRecheckMs: 60_000,
      pollBatch: 500,
      statusTtlMs: env.TASK_TTL * 1000,
      rfc9421Hosts: env.RFC9421_HOSTS,
    },
    keyEncryptionKey: env.KEY_ENCRYPTION_KEY,
    http: {
      allowLoopback: env.ALLOW_LOOPBACK_PEERS,
      allowHttp: env.ALLOW_LOOPBACK_PEERS,
      connections: env.MAX_CONCURRENT_PER_HOST,
      connectTimeoutMs: env.DELIVERY_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: env.DELIVERY_TIMEOUT_MS,
      bodyTimeoutMs: env.DELIVERY_TIMEOUT_MS,
      timeoutMs: env.DELIVERY_TIMEOUT_MS,
      maxBytes: env.DELIVERY_MAX_RESPONSE_BYTES,
      userAgent: 'peerfed-delivery/0.1',
    },
    // Auto-pipelining: hundreds of concurrent tasks share round trips (and syscalls) to Redis.
    createRedis: () => createRedisConnection(env, { enableAutoPipelining: true }),
  };
}

@Module({
  imports: [
    DatabaseModule.forRoot(DELIVERY_DATABASE),
    DeliveryFeatureModule.forRootAsync({ inject: [DeliveryEnv], useFactory: deliveryOptions }),
  ],
})
export class AppModule {}
