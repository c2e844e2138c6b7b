import { type DynamicModule, type FactoryProvider, Global, Module } from '@nestjs/common';
import { BaseEnv, redisEndpointOf } from '@peerfed/platform/config';
import { RedisStreamsClient } from '@peerfed/platform/streams';
import { ActorKeyStore, KeyEncryption } from '@peerfed/shared/actor-keys';
import { IngressFollowersV1, IngressInboundV1, IngressPostsV1, IngressVotesV1 } from '@peerfed/shared/contracts';
import { OutboundPublisher } from '@peerfed/shared/outbound';
import { DataSource } from 'typeorm';
import { ActorUrls } from './actor-urls.util';
import { DemoSeedService } from './demo-seed.service';
import { DocumentFetcher } from './document-fetcher.client';
import { FollowerRepository } from './follower.repository';
import { FollowingRepository } from './following.repository';
import { InboundActivityRepository } from './inbound-activity.repository';
import { IngressConnectionsService } from './ingress-connections.service';
import { createIngressRedis, INGRESS_REDIS, type IngressRedis } from './ingress-redis.util';
import { IngressSettings } from './ingress-settings.types';
import { InstanceActorService } from './instance-actor.service';
import { LocalActorRepository } from './local-actor.repository';
import { LocalActorService } from './local-actor.service';
import { ObjectRepository } from './object.repository';
import { RemoteActorRepository } from './remote-actor.repository';
import { RedisJsonCache } from './redis-json.cache';
import { RemoteActorResolver } from './remote-actor.resolver';
import { SignedDocumentFetcher } from './signed-document.fetcher';
import { VoteRepository } from './vote.repository';

export interface IngressDataAccessOptions {
  /** Builds the settings, typically from the app's validated env. */
  readonly settings: Omit<FactoryProvider<IngressSettings>, 'provide'>;
}

const REPOSITORIES = [
  LocalActorRepository,
  RemoteActorRepository,
  FollowerRepository,
  FollowingRepository,
  ObjectRepository,
  VoteRepository,
  InboundActivityRepository,
];

/**
 * Persistence and remote lookups of ingress, global so every ingress feature injects them:
 * repositories, key store, remote actor resolver, the shared Redis connection, the streams
 * producer and the outbound publisher. Needs DatabaseModule (DataSource) and ConfigModule (BaseEnv).
 */
@Global()
@Module({})
export class IngressDataAccessModule {
  static forRoot(options: IngressDataAccessOptions): DynamicModule {
    const providers = [
      { provide: IngressSettings, ...options.settings },
      { provide: ActorUrls, inject: [IngressSettings], useFactory: (settings: IngressSettings) => new ActorUrls(settings.publicUrl) },
      { provide: INGRESS_REDIS, inject: [BaseEnv], useFactory: (config: BaseEnv) => createIngressRedis(config) },
      {
        provide: RedisStreamsClient,
        inject: [BaseEnv],
        useFactory: (config: BaseEnv) => new RedisStreamsClient({ ...redisEndpointOf(config), contracts: [IngressInboundV1, IngressFollowersV1, IngressVotesV1, IngressPostsV1] }),
      },
      { provide: OutboundPublisher, inject: [INGRESS_REDIS], useFactory: (redis: IngressRedis) => new OutboundPublisher(redis) },
      {
        provide: ActorKeyStore,
        inject: [DataSource, IngressSettings],
        useFactory: (dataSource: DataSource, settings: IngressSettings) => new ActorKeyStore(dataSource, new KeyEncryption(settings.keyEncryptionKey)),
      },
      { provide: DocumentFetcher, useClass: SignedDocumentFetcher },
      ...REPOSITORIES,
      IngressConnectionsService,
      RedisJsonCache,
      LocalActorService,
      InstanceActorService,
      RemoteActorResolver,
      DemoSeedService,
    ];
    return {
      module: IngressDataAccessModule,
      providers,
      exports: providers.map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }
}
