import { createDeliveryTables } from '@peerfed/delivery/data-access';
import { DEFAULT_RETRY_CONFIG } from '@peerfed/delivery/domain';
import { createDataSourceOptions, createProcessedMessagesTable, ProcessedMessage } from '@peerfed/platform/database';
import { SafeHttpClient } from '@peerfed/platform/http-client';
import { laneKeys, type RedisConnection } from '@peerfed/platform/streams';
import { createActorKeysTable } from '@peerfed/shared/actor-keys';
import { DeliveryTasksV1, type DeliveryTaskPayload, type Priority, PRIORITIES } from '@peerfed/shared/contracts';
import { DataSource } from 'typeorm';
import { type DeliverTaskResult } from '../lib/deliver-task.usecase';
import { DeliveryComponents } from '../lib/delivery-components.service';
import { type DeliveryClock, type DeliverySettings } from '../lib/delivery-settings.types';

export const LOCAL_ORIGIN = 'http://localhost:3000';
export const ALICE = `${LOCAL_ORIGIN}/users/alice`;
export const ALICE_KEY_ID = `${ALICE}#main-key`;
export const TEST_KEY_ENCRYPTION_KEY = 'delivery-tests-key-encryption-key-0123456789';

/** A clock the test moves by hand; random is fixed so retry delays are exact. */
export class ManualClock implements DeliveryClock {
  constructor(
    public current = Date.now(),
    public unit = 0.5,
  ) {}

  now(): number {
    return this.current;
  }

  random(): number {
    return this.unit;
  }

  advanceTo(epochMs: number): void {
    this.current = Math.max(this.current, epochMs);
  }
}

/** Creates the schemas and tables delivery uses (its own, and ingress.actor_keys) on an empty database. */
export async function createDeliveryDatabase(url: string): Promise<DataSource> {
  const dataSource = await new DataSource(createDataSourceOptions({ url, schema: 'delivery', entities: [ProcessedMessage], migrations: [], poolSize: 5 })).initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('CREATE SCHEMA IF NOT EXISTS "delivery"');
    await runner.query('CREATE SCHEMA IF NOT EXISTS "ingress"');
    await createProcessedMessagesTable(runner, 'delivery');
    await createDeliveryTables(runner);
    await createActorKeysTable(runner);
  } finally {
    await runner.release();
  }
  return dataSource;
}

export const TEST_SETTINGS: DeliverySettings = {
  localHosts: [LOCAL_ORIGIN],
  perHostLimit: { limit: 1000, windowMs: 60_000 },
  maxConcurrentPerHost: 4,
  inFlightLeaseMs: 30_000,
  hostSlotWaitMs: 5_000,
  retry: DEFAULT_RETRY_CONFIG,
  blockedRecheckMs: 60_000,
  pollBatch: 500,
  statusTtlMs: 86_400_000,
};

/** Every delivery component on real Redis and Postgres, plus helpers to play the consumer by hand. */
export class DeliveryRig extends DeliveryComponents {
  readonly http: SafeHttpClient;

  constructor(
    dataSource: DataSource,
    redis: RedisConnection,
    override readonly clock: ManualClock,
    settings: DeliverySettings = TEST_SETTINGS,
    http = new SafeHttpClient({ allowLoopback: true, allowHttp: true, timeoutMs: 3_000, connectTimeoutMs: 1_000 }),
  ) {
    super({ dataSource, redis, settings, keyEncryptionKey: TEST_KEY_ENCRYPTION_KEY, poster: http, clock, circuitPollMs: 60_000 });
    this.http = http;
  }

  /** Removes and returns every task on the lanes (the tests play the consumer). */
  async takeTasks(): Promise<Array<{ task: DeliveryTaskPayload; priority: Priority; id: string }>> {
    const out: Array<{ task: DeliveryTaskPayload; priority: Priority; id: string }> = [];
    const keys = laneKeys(DeliveryTasksV1.stream);
    for (const [index, key] of keys.entries()) {
      const entries = await this.options.redis.xrange(key, '-', '+');
      for (const [, fields] of entries) {
        const envelope = JSON.parse(fields[1] ?? '{}') as { id: string; payload: DeliveryTaskPayload };
        out.push({ task: envelope.payload, priority: PRIORITIES[index] ?? 'medium', id: envelope.id });
      }
      await this.options.redis.del(key);
    }
    return out;
  }

  /** Takes the queued tasks and runs them all concurrently; returns the result of each. */
  async runQueued(): Promise<DeliverTaskResult[]> {
    const tasks = await this.takeTasks();
    return Promise.all(tasks.map(({ task, priority }) => this.deliver.execute({ task, priority })));
  }

  /** Moves the clock to the earliest delayed task, moves the due ones back, runs them. */
  async runNextDelayed(): Promise<{ dueAt: number; results: DeliverTaskResult[] }> {
    const [next] = await this.delayed.list(1);
    if (!next) throw new Error('no delayed task');
    this.clock.advanceTo(next.dueAt);
    await this.poller.pollOnce();
    return { dueAt: next.dueAt, results: await this.runQueued() };
  }

  async close(): Promise<void> {
    await this.stop();
    await this.http.close();
  }
}
