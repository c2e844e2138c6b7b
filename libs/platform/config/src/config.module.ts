import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { BaseEnv } from './base-env.dto';

/**
 * Makes the service's loaded config injectable everywhere, under its own class (e.g. WalletEnv)
 * and under BaseEnv for the platform libraries that only need the shared settings.
 */
@Module({})
export class ConfigModule {
  static forRoot(config: BaseEnv): DynamicModule {
    const envClass = config.constructor as Type<BaseEnv>;
    const providers: Provider[] = [{ provide: BaseEnv, useValue: config }];
    if (envClass !== BaseEnv) providers.push({ provide: envClass, useValue: config });
    return { module: ConfigModule, global: true, providers, exports: providers };
  }
}
