import { Module, type Type } from '@nestjs/common';
import { MonitorDataAccessModule, type MonitorClock } from '@peerfed/monitor/data-access';
import { MonitorAdminModule, PLATFORM_STREAMS } from '@peerfed/monitor/feature-admin';
import { MonitorHealthModule } from '@peerfed/monitor/feature-health';
import { redisEndpointOf } from '@peerfed/platform/config';
import { DatabaseModule } from '@peerfed/platform/database';
import { createRedisConnection } from '@peerfed/platform/observability';
import { MONITOR_DATABASE } from './database/monitor-database.util';
import { MonitorEnv } from './monitor-env.dto';

export interface MonitorAppOptions {
  /** Tests inject a manual clock; default the system clock. */
  readonly clock?: MonitorClock;
}

/** The monitor's root module, built per call so tests can inject a clock. */
export function createAppModule(options: MonitorAppOptions = {}): Type<unknown> {
  const health = MonitorHealthModule.forRoot({
    inject: [MonitorEnv],
    useFactory: (env: MonitorEnv) => ({
      recoveryIntervalMs: env.CIRCUIT_TIMER_INTERVAL_MS,
      outcomeBatchSize: env.OUTCOME_BATCH_SIZE,
      outcomeBatchLingerMs: env.OUTCOME_BATCH_LINGER_MS,
    }),
  });

  @Module({
    imports: [
      DatabaseModule.forRoot(MONITOR_DATABASE),
      MonitorDataAccessModule.forRoot({
        clock: options.clock,
        redis: (config) => createRedisConnection(config, { maxRetriesPerRequest: 3 }),
        circuit: {
          inject: [MonitorEnv],
          useFactory: (env: MonitorEnv) => ({
            failureThreshold: env.CIRCUIT_FAILURE_THRESHOLD,
            recoveryTimeoutMs: env.CIRCUIT_RECOVERY_TIMEOUT * 1000,
            successThreshold: env.CIRCUIT_SUCCESS_THRESHOLD,
          }),
        },
      }),
      health,
      MonitorAdminModule.forRoot({
        health,
        settings: {
          inject: [MonitorEnv],
          useFactory: (env: MonitorEnv) => ({
            adminToken: env.ADMIN_TOKEN,
            streams: [...new Set([...PLATFORM_STREAMS, ...(env.MONITOR_STREAMS?.split(',') ?? [])])],
            lifecycle: {
              intervalMs: env.LIFECYCLE_INTERVAL_MS,
              taskTtlMs: env.TASK_TTL * 1000,
              streamMaxLength: env.STREAM_MAX_LENGTH,
              deadLetterRetentionMs: env.DEAD_LETTER_RETENTION * 1000,
              deliveryRecordRetentionDays: env.DELIVERY_RECORD_RETENTION_DAYS,
              memoryPressurePercent: env.MEMORY_PRESSURE_PERCENT,
            },
            deliveryAdmin: { connection: redisEndpointOf(env), requestTimeoutMs: env.DELIVERY_ADMIN_TIMEOUT_MS },
          }),
        },
      }),
    ],
  })
  class AppModule {}
  return AppModule;
}
