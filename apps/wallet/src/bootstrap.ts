import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type EnvSource, redisEndpointOf } from '@peerfed/platform/config';
import { createServiceApp, MetricsService } from '@peerfed/platform/observability';
import { RedisStreamsServer } from '@peerfed/platform/streams';
import { AppModule } from './app.module';
import { WalletEnv } from './wallet-env.dto';

/**
 * Starts the wallet service and returns it listening. `overrides` win over process.env
 * (e2e tests pass PORT=0 and the URLs of throwaway servers).
 */
export function bootstrap(overrides?: EnvSource): Promise<NestFastifyApplication> {
  return createServiceApp({
    name: 'wallet',
    module: AppModule,
    env: WalletEnv,
    overrides,
    // The Redis Streams consumers of this service (consumer group 'wallet'); their loops are part of /health/ready.
    microservices: (config, app) => [
      new RedisStreamsServer({
        ...redisEndpointOf(config),
        group: 'wallet',
        maxBatchSize: config.MAX_BATCH_SIZE,
        registry: app.get(MetricsService).registry,
      }),
    ],
  });
}
