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
  SendGateRepository,
  SignatureSchemesRepository,
  StreamWriter,
} from '@peerfed/delivery/data-access';
import { type RedisConnection } from '@peerfed/platform/streams';
import { ActorKeyStore, KeyEncryption } from '@peerfed/shared/actor-keys';
import { DeliveryGoneV1, DeliveryOutcomesV1 } from '@peerfed/shared/contracts';
import { stableUuid } from '@peerfed/shared/outbound';
import { type DataSource } from 'typeorm';
import { ApplyFollowerChangeUseCase } from './apply-follower-change.usecase';
import { DeliverTaskUseCase, type DeliveryWorkerDeps } from './deliver-task.usecase';
import { type DeliveryClock, type DeliverySettings } from './delivery-settings.types';
import { FanOutActivityUseCase } from './fan-out-activity.usecase';
import { GlobalRateLease } from './global-rate-lease.util';
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
  /** How often the per-host signature schemes are reloaded (default 10 s). */
  schemePollMs?: number;
  pollIntervalMs?: number;
  onDelivered?: DeliveryWorkerDeps['onDelivered'];
}

/** Longest wait of a finished delivery's archive row (Postgres) and outcome event (XADD) for company. */
const ARCHIVE_COMMIT_MS = 50;
const OUTCOME_COMMIT_MS = 20;

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
  readonly schemes: SignatureSchemesRepository;
  readonly keys: ActorKeyStore;
  readonly clock: DeliveryClock;
  readonly fanOut: FanOutActivityUseCase;
  readonly followerChanges: ApplyFollowerChangeUseCase;
  /** What the delivery worker is built from (tests build variants of it). */
  readonly workerDeps: DeliveryWorkerDeps;
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
    this.schemes = new SignatureSchemesRepository(redis, new Set(settings.rfc9421Hosts ?? []));
    this.keys = new ActorKeyStore(dataSource, new KeyEncryption(options.keyEncryptionKey));
    this.fanOut = new FanOutActivityUseCase(dataSource, this.activities, this.followers, this.statuses, this.writer, this.ordering, settings.localHosts, clock);
    this.followerChanges = new ApplyFollowerChangeUseCase(dataSource, this.followers);
    this.workerDeps = {
      activities: this.activities,
      statuses: this.statuses,
      // Many workers finish at once: their archive rows and outcome events share round trips. The
      // waits are short next to a delivery, and at hundreds of deliveries per second they turn a
      // query (and a syscall) per few deliveries into one per dozens.
      archive: new GroupCommit((rows) => this.records.archive(rows), 500, ARCHIVE_COMMIT_MS),
      // Outcome payloads come from tasks the transport validated on receipt plus our own numbers,
      // and the monitor validates them again; validating here costs more than the XADD, and one bad
      // event would fail the whole batch it shares with other tasks.
      outcomes: new GroupCommit((entries) => this.writer.append(DeliveryOutcomesV1, entries, new Date(), { validate: false }), 500, OUTCOME_COMMIT_MS),
      deadLetters: this.deadLetters,
      delayed: this.delayed,
      ...(settings.globalLimit && { globalRate: new GlobalRateLease(new RateLimiterRepository(redis), settings.globalLimit, clock) }),
      followers: this.followers,
      goneInboxes: {
        // One report per delivery that found the inbox gone: a re-run of the task repeats its id.
        report: (inbox, activityId) =>
          this.writer.append(DeliveryGoneV1, [{ priority: 'low', payload: { inbox, activityId }, id: stableUuid(`inbox-gone\n${activityId}\n${inbox}`) }]),
      },
      ordering: this.ordering,
      gate: new SendGateRepository(redis, this.ordering.maxAgeMs),
      circuits: this.circuits,
      keys: new SigningKeyCache(this.keys),
      schemes: this.schemes,
      poster: options.poster,
      slots: new HostSlots(settings.maxConcurrentPerHost),
      settings,
      clock,
      onDelivered: options.onDelivered,
    };
    this.deliver = new DeliverTaskUseCase(this.workerDeps);
    this.admin = new DeliveryAdminUseCase(this.deadLetters, this.statuses, this.records, this.writer, clock);
    this.poller = new RetryPoller(this.delayed, clock, settings.pollBatch, options.pollIntervalMs);
  }

  /** Starts the circuit cache, the signature-scheme mirror and the retry poller. */
  async start(): Promise<void> {
    await this.circuits.start();
    await this.schemes.start(this.options.schemePollMs ?? 10_000);
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    this.schemes.stop();
    await this.circuits.stop();
  }
}
