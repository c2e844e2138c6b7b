import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type EnvSource, redisEndpointOf } from '@peerfed/platform/config';
import { createServiceApp, MetricsService } from '@peerfed/platform/observability';
import { RedisStreamsServer } from '@peerfed/platform/streams';
import { AppModule } from './app.module';
import { DeliveryEnv } from './delivery-env.dto';

/**
 * Starts the delivery service and returns it listening. `overrides` win over process.env
 * (e2e tests pass PORT=0 and the URLs of throwaway servers).
 */
export function bootstrap(overrides?: EnvSource): Promise<NestFastifyApplication> {
  return createServiceApp({
    name: 'delivery',
    module: AppModule,
    env: DeliveryEnv,
    overrides,
    // The Redis Streams consumers of this service (consumer group 'delivery'); their loops are part of /health/ready.
    microservices: (config, app) => [
      new RedisStreamsServer({
        ...redisEndpointOf(config),
        group: 'delivery',
        ...(config.DELIVERY_CONSUMER_NAME === undefined ? {} : { consumer: config.DELIVERY_CONSUMER_NAME }),
        maxBatchSize: config.MAX_BATCH_SIZE,
        // Workers mostly wait on remote servers: many tasks in flight per replica.
        concurrency: Math.max(config.DELIVERY_CONCURRENCY, 2 * config.MAX_BATCH_SIZE),
        // Above the longest attempt (DELIVERY_TIMEOUT_MS), so a slow delivery is not reclaimed mid-flight.
        claimIdleMs: Math.max(60_000, 4 * config.DELIVERY_TIMEOUT_MS),
        registry: app.get(MetricsService).registry,
      }),
    ],
  });
}
