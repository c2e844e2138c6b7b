import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConsumerHealthRegistry } from './consumer-health.registry';
import { ConsumerLoopsIndicator } from './consumer-loops.indicator';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { READINESS_INDICATORS, SERVICE_NAME } from './observability.constants';
import { PostgresIndicator } from './postgres.indicator';
import { type ReadinessIndicator } from './readiness.types';
import { RedisIndicator } from './redis.indicator';
import { ShutdownService } from './shutdown.service';

/** What /health/ready checks unless an app passes its own list. */
export const DEFAULT_READINESS: readonly Type<ReadinessIndicator>[] = [PostgresIndicator, RedisIndicator, ConsumerLoopsIndicator];

export interface ObservabilityOptions {
  readonly serviceName: string;
  readonly readiness?: readonly Type<ReadinessIndicator>[];
}

/** /health/live, /health/ready, /metrics, and the services behind them (global, so features can add metrics). */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const readiness = [...(options.readiness ?? DEFAULT_READINESS)];
    const shared: Provider[] = [{ provide: SERVICE_NAME, useValue: options.serviceName }, MetricsService, ShutdownService, ConsumerHealthRegistry];
    return {
      module: ObservabilityModule,
      global: true,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController, MetricsController],
      providers: [
        ...shared,
        ...readiness,
        { provide: READINESS_INDICATORS, useFactory: (...indicators: ReadinessIndicator[]) => indicators, inject: readiness },
      ],
      exports: shared,
    };
  }
}
