import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SafeHttpClient, type SafeHttpClientOptions } from '@peerfed/platform/http-client';
import { type RedisConnection } from '@peerfed/platform/streams';
import { DataSource } from 'typeorm';
import { DeliveryComponents } from './delivery-components.service';
import { type DeliverySettings, systemDeliveryClock } from './delivery-settings.types';
import { DeliveryStreamsController } from './delivery-streams.controller';

/** What the app derives from its env for the delivery feature. */
export interface DeliveryFeatureOptions {
  settings: DeliverySettings;
  keyEncryptionKey: string;
  http: SafeHttpClientOptions;
  /** A lazily connecting Redis client (single node or cluster) owned by the module. */
  createRedis: () => RedisConnection;
}

export const DELIVERY_FEATURE_OPTIONS = Symbol('DELIVERY_FEATURE_OPTIONS');

/** Starts the circuit cache and the retry poller with the app; closes HTTP pools and Redis last. */
@Injectable()
class DeliveryLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DeliveryComponents) private readonly components: DeliveryComponents,
    @Inject(SafeHttpClient) private readonly http: SafeHttpClient,
  ) {}

  /** The Redis client is lazy: the circuit cache's first read connects it. */
  async onModuleInit(): Promise<void> {
    await this.components.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.components.stop();
    await this.http.close();
    await this.components.options.redis.quit().catch(() => this.components.options.redis.disconnect());
  }
}

/** The delivery feature: fan-out, workers, retry poller, dead-letter admin, on the app's streams server. */
@Module({})
export class DeliveryFeatureModule {
  static forRootAsync(options: { inject: unknown[]; useFactory: (...args: never[]) => DeliveryFeatureOptions }): DynamicModule {
    return {
      module: DeliveryFeatureModule,
      controllers: [DeliveryStreamsController],
      providers: [
        { provide: DELIVERY_FEATURE_OPTIONS, inject: options.inject as never[], useFactory: options.useFactory },
        {
          provide: SafeHttpClient,
          inject: [DELIVERY_FEATURE_OPTIONS],
          useFactory: (feature: DeliveryFeatureOptions) => new SafeHttpClient(feature.http),
        },
        {
          provide: DeliveryComponents,
          inject: [DELIVERY_FEATURE_OPTIONS, DataSource, SafeHttpClient],
          useFactory: (feature: DeliveryFeatureOptions, dataSource: DataSource, http: SafeHttpClient) =>
            new DeliveryComponents({
              dataSource,
              redis: feature.createRedis(),
              settings: feature.settings,
              keyEncryptionKey: feature.keyEncryptionKey,
              poster: http,
              clock: systemDeliveryClock,
            }),
        },
        DeliveryLifecycle,
      ],
      exports: [DeliveryComponents],
    };
  }
}
