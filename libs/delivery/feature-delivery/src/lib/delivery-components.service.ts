import {
  ActivityStoreRepository,
  CircuitCache,
  DeadLetterStoreRepository,
  DelayedTasksRepository,
  DeliveryRecordsRepository,
  DeliveryStatusRepository,
  FollowerProjectionRepository,
  GroupCommit,
  OrderingGateRepository,
  RateLimiterRepository,
  StreamWriter,
} from '@peerfed/delivery/data-access';
import { type RedisConnection } from '@peerfed/platform/streams';
import { ActorKeyStore, KeyEncryption } from '@peerfed/shared/actor-keys';
import { DeliveryOutcomesV1 } from '@peerfed/shared/contracts';
import { type DataSource } from 'typeorm';
import { ApplyFollowerChangeUseCase } from './apply-follower-change.usecase';
import { DeliverTaskUseCase, type DeliveryWorkerDeps } from './deliver-task.usecase';
import { type DeliveryClock, type DeliverySettings } from './delivery-settings.types';
import { FanOutActivityUseCase } from './fan-out-activity.usecase';
import { HostSlots } from './host-slots.util';
import { type InboxPoster } from './inbox-poster.types';
import { DeliveryAdminUseCase } from './delivery-admin.usecase';
import { RetryPoller } from './retry-poller.service';
import { SigningKeyCache } from './signing-key-cache.util';

export interface DeliveryComponentsOptions {
  dataSource: DataSource;
  redis: RedisConnection;
  settings: DeliverySettings;
  /** KEY_ENCRYPTION_KEY: opens the sealed private keys of ingress.actor_keys. */
  keyEncryptionKey: string;
  poster: InboxPoster;
  clock: DeliveryClock;
  circuitPollMs?: number;
  pollIntervalMs?: number;
  onDelivered?: DeliveryWorkerDeps['onDelivered'];
}

/** The delivery service's repositories and use cases, built once from their connections. */
export class DeliveryComponents {
  readonly activities: ActivityStoreRepository;
  readonly followers: FollowerProjectionRepository;
  readonly statuses: DeliveryStatusRepository;
  readonly records: DeliveryRecordsRepository;
  readonly deadLetters: DeadLetterStoreRepository;
  readonly delayed: DelayedTasksRepository;
  readonly writer: StreamWriter;
  readonly ordering: OrderingGateRepository;
  readonly circuits: CircuitCache;
  readonly keys: ActorKeyStore;
  readonly clock: DeliveryClock;
  readonly fanOut: FanOutActivityUseCase;
  readonly followerChanges: ApplyFollowerChangeUseCase;
  readonly deliver: DeliverTaskUseCase;
  readonly admin: DeliveryAdminUseCase;
  readonly poller: RetryPoller;

  constructor(readonly options: DeliveryComponentsOptions) {
    const { dataSource, redis, settings, clock } = options;
    this.clock = clock;
    this.activities = new ActivityStoreRepository(dataSource);
    this.followers = new FollowerProjectionRepository(dataSource);
    this.statuses = new DeliveryStatusRepository(redis, settings.statusTtlMs);
    this.records = new DeliveryRecordsRepository(dataSource);
    this.deadLetters = new DeadLetterStoreRepository(dataSource);
    this.delayed = new DelayedTasksRepository(redis);
    this.writer = new StreamWriter(redis);
    // Entries outlive every retry schedule by a day, then an abandoned one stops blocking its object.
    this.ordering = new OrderingGateRepository(redis, settings.retry.maxRetryDurationMs + 86_400_000);
    this.circuits = new CircuitCache(redis, options.circuitPollMs ?? 1000);
    this.keys = new ActorKeyStore(dataSource, new KeyEncryption(options.keyEncryptionKey));
    this.fanOut = new FanOutActivityUseCase(dataSource, this.activities, this.followers, this.statuses, this.writer, this.ordering, settings.localHosts, clock);
    this.followerChanges = new ApplyFollowerChangeUseCase(dataSource, this.followers);
    this.deliver = new DeliverTaskUseCase({
      activities: this.activities,
      statuses: this.statuses,
      // Many workers finish at once: their archive rows and outcome events share round trips.
      archive: new GroupCommit((rows) => this.records.archive(rows)),
      outcomes: new GroupCommit((entries) => this.writer.append(DeliveryOutcomesV1, entries)),
      deadLetters: this.deadLetters,
      delayed: this.delayed,
      rateLimiter: new RateLimiterRepository(redis),
      followers: this.followers,
      ordering: this.ordering,
      circuits: this.circuits,
      keys: new SigningKeyCache(this.keys),
      poster: options.poster,
      slots: new HostSlots(settings.maxConcurrentPerHost),
      settings,
      clock,
      onDelivered: options.onDelivered,
    });
    this.admin = new DeliveryAdminUseCase(this.deadLetters, this.statuses, this.records, this.writer, clock);
    this.poller = new RetryPoller(this.delayed, clock, settings.pollBatch, options.pollIntervalMs);
  }

  /** Starts the circuit cache and the retry poller. */
  async start(): Promise<void> {
    await this.circuits.start();
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    await this.circuits.stop();
  }
}
