import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RedisStreamsClient } from '@peerfed/platform/streams';
import { INGRESS_REDIS, type IngressRedis } from './ingress-redis.util';

/**
 * Opens and closes the shared Redis connection and the streams producer. A Redis outage at
 * start-up is logged, not fatal: caches and rate limits fail open, readiness reports Redis down.
 */
@Injectable()
export class IngressConnectionsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(IngressConnectionsService.name);

  constructor(
    @Inject(INGRESS_REDIS) private readonly redis: IngressRedis,
    private readonly streams: RedisStreamsClient,
  ) {
    this.redis.on('error', (error: Error) => this.logger.debug(`Redis: ${error.message}`));
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([
      this.redis.connect().catch((error: unknown) => this.logger.warn(`Redis not reachable at start-up: ${String(error)}`)),
      this.streams.connect().catch((error: unknown) => this.logger.warn(`Redis streams not reachable at start-up: ${String(error)}`)),
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.streams.close();
    this.redis.disconnect();
  }
}
