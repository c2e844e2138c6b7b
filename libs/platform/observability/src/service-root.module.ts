import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { type BaseEnv, ConfigModule } from '@peerfed/platform/config';
import { ObservabilityModule } from './observability.module';
import { type ReadinessIndicator } from './readiness.types';

export interface ServiceRootOptions {
  readonly serviceName: string;
  readonly config: BaseEnv;
  readonly appModule: Type<unknown>;
  readonly readiness?: readonly Type<ReadinessIndicator>[];
}

/** Config + observability around an app's own module; built by createServiceApp. */
@Module({})
export class ServiceRootModule {
  static forRoot(options: ServiceRootOptions): DynamicModule {
    return {
      module: ServiceRootModule,
      imports: [
        ConfigModule.forRoot(options.config),
        ObservabilityModule.forRoot({ serviceName: options.serviceName, readiness: options.readiness }),
        options.appModule,
      ],
    };
  }
}
