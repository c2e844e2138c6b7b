import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type EnvSource, redisEndpointOf } from '@peerfed/platform/config';
import { createServiceApp, MetricsService } from '@peerfed/platform/observability';
import { RedisStreamsServer } from '@peerfed/platform/streams';
import { createAppModule, type MonitorAppOptions } from './app.module';
import { MonitorEnv } from './monitor-env.dto';

/**
 * Starts the monitor service and returns it listening. `overrides` win over process.env
 * (e2e tests pass PORT=0 and the URLs of throwaway servers); `options.clock` is for tests.
 */
export function bootstrap(overrides?: EnvSource, options: MonitorAppOptions = {}): Promise<NestFastifyApplication> {
  return createServiceApp({
    name: 'monitor',
    module: createAppModule(options),
    env: MonitorEnv,
    overrides,
    // The Redis Streams consumers of this service (consumer group 'monitor'); their loops are part of /health/ready.
    microservices: (config, app) => [
      new RedisStreamsServer({
        ...redisEndpointOf(config),
        group: 'monitor',
        maxBatchSize: config.MAX_BATCH_SIZE,
        registry: app.get(MetricsService).registry,
      }),
    ],
  });
}
