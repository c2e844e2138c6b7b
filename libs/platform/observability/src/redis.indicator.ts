import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { BaseEnv } from '@peerfed/platform/config';
import { setTimeout as delay } from 'node:timers/promises';
import { createRedisConnection, type RedisConnection } from './redis-connection.util';
import { type ReadinessIndicator } from './readiness.types';

const PING_TIMEOUT_MS = 500;
const CONNECT_WAIT_MS = 2000;

/**
 * PING on a dedicated connection with a short timeout. No offline queue: while Redis is away
 * the PING fails at once instead of waiting for a reconnect, so readiness reflects it quickly.
 */
@Injectable()
export class RedisIndicator implements ReadinessIndicator, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisHealth');
  private readonly redis: RedisConnection;
  private reportedDown = false;

  constructor(
    config: BaseEnv,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.redis = createRedisConnection(config, { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectionName: 'health' });
    // Log the outage once, not on every reconnect attempt.
    this.redis.on('error', (error: Error) => {
      if (this.reportedDown) return;
      this.reportedDown = true;
      this.logger.warn(`Redis unreachable: ${error.message}`);
    });
    this.redis.on('ready', () => {
      if (this.reportedDown) this.logger.log('Redis reachable again');
      this.reportedDown = false;
    });
  }

  /** Waits briefly for the first connection so a healthy service is ready as soon as it listens. */
  async onModuleInit(): Promise<void> {
    const connected = this.redis.connect().then(
      () => true,
      () => false,
    );
    // A service whose Redis is down still starts (and reports not-ready); the client keeps retrying.
    await Promise.race([connected, delay(CONNECT_WAIT_MS, undefined, { ref: false })]);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  check(): PromiseLike<HealthIndicatorResult> {
    return this.indicators
      .check('redis')
      .attempt(async () => {
        await this.redis.ping();
      })
      .withTimeout(PING_TIMEOUT_MS);
  }
}
