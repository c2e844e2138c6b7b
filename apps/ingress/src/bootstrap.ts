import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type EnvSource, redisEndpointOf } from '@peerfed/platform/config';
import { createServiceApp, MetricsService } from '@peerfed/platform/observability';
import { RedisStreamsServer } from '@peerfed/platform/streams';
import { AppModule } from './app.module';
import { IngressEnv } from './ingress-env.dto';

/**
 * Starts the ingress service and returns it listening. `overrides` win over process.env
 * (e2e tests pass PORT=0 and the URLs of throwaway servers).
 */
export function bootstrap(overrides?: EnvSource): Promise<NestFastifyApplication> {
  return createServiceApp({
    name: 'ingress',
    module: AppModule,
    env: IngressEnv,
    overrides,
    // The inbound workers (consumer group 'ingress'); their loops are part of /health/ready.
    // INBOUND_WORKERS=false: an inbox-only replica, the workers run elsewhere.
    microservices: (config, app) =>
      config.INBOUND_WORKERS
        ? [
            new RedisStreamsServer({
              ...redisEndpointOf(config),
              group: 'ingress',
              maxBatchSize: config.MAX_BATCH_SIZE,
              registry: app.get(MetricsService).registry,
            }),
          ]
        : [],
  });
}
