import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { circuitConfig, type CircuitConfig } from '@peerfed/monitor/domain';
import { BaseEnv } from '@peerfed/platform/config';
import { type RedisConnection } from '@peerfed/platform/streams';
import { AuditLogRepository } from './audit-log.repository';
import { CircuitPublisher } from './circuit-publisher.service';
import { DeadLetterArchiveRepository } from './dead-letter-archive.repository';
import { DeliveryRecordRepository } from './delivery-record.repository';
import { HostStateService } from './host-state.service';
import { InstanceRepository } from './instance.repository';
import { type SettingsProvider } from './settings-provider.types';
import { CIRCUIT_CONFIG, MONITOR_CLOCK, MONITOR_REDIS, type MonitorClock, systemMonitorClock } from './monitor-tokens.util';

export interface MonitorDataAccessOptions {
  /** Circuit thresholds from the service config (validated again by the domain's circuitConfig). */
  readonly circuit: SettingsProvider<Partial<CircuitConfig>>;
  /** Builds the monitor's Redis connection (lazy; connected here, closed at shutdown). */
  readonly redis: (config: BaseEnv) => RedisConnection;
  /** Default: the system clock. */
  readonly clock?: MonitorClock;
}

const REPOSITORIES = [AuditLogRepository, CircuitPublisher, DeadLetterArchiveRepository, DeliveryRecordRepository, HostStateService, InstanceRepository];

/** The monitor's persistence (Postgres repositories) and its own Redis connection; global for its features. */
@Global()
@Module({})
export class MonitorDataAccessModule implements OnApplicationShutdown {
  constructor(@Inject(MONITOR_REDIS) private readonly redis: RedisConnection) {}

  static forRoot(options: MonitorDataAccessOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: MONITOR_CLOCK, useValue: options.clock ?? systemMonitorClock },
      {
        provide: CIRCUIT_CONFIG,
        useFactory: (...args: never[]) => circuitConfig(options.circuit.useFactory(...args)),
        inject: [...options.circuit.inject],
      },
      {
        provide: MONITOR_REDIS,
        useFactory: async (config: BaseEnv): Promise<RedisConnection> => {
          const redis = options.redis(config);
          await redis.connect();
          return redis;
        },
        inject: [BaseEnv],
      },
      ...REPOSITORIES,
    ];
    return { module: MonitorDataAccessModule, providers, exports: [MONITOR_CLOCK, CIRCUIT_CONFIG, MONITOR_REDIS, ...REPOSITORIES] };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
