import { Module } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { BaseEnv } from '@peerfed/platform/config';
import { createProcessedMessagesTable, DatabaseModule, ProcessedMessage } from '@peerfed/platform/database';
import { startTestPostgres, startTestRedis, type TestPostgres, type TestRedis, waitFor } from '@peerfed/platform/testing';
import { Client } from 'pg';
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createServiceApp } from './service-app.util';
import { ShutdownService } from './shutdown.service';

class CreateProcessedMessages1795360000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await createProcessedMessagesTable(queryRunner, 'chassis');
  }

  async down(): Promise<void> {
    throw new Error('not reversible');
  }
}

@Module({
  imports: [DatabaseModule.forRoot({ schema: 'chassis', entities: [ProcessedMessage], migrations: [CreateProcessedMessages1795360000000] })],
})
class ChassisModule {}

async function readiness(url: string): Promise<{ status: number; body: { status: string; info?: object; error?: object } }> {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { status: string } };
}

async function query<T>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('service chassis against real Postgres and Redis', () => {
  let pg: TestPostgres;
  let redis: TestRedis;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startTestPostgres(), startTestRedis({ appendonly: false })]);
  });

  afterAll(async () => {
    await Promise.all([redis?.cleanup(), pg?.cleanup()]);
  });

  async function boot(database: string, overrides: Record<string, string> = {}): Promise<{ app: NestFastifyApplication; url: string; databaseUrl: string }> {
    const databaseUrl = await pg.createDatabase(database);
    const app = await createServiceApp({
      name: 'chassis',
      module: ChassisModule,
      env: BaseEnv,
      handleSignals: false,
      writeLog: () => undefined,
      overrides: { NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: databaseUrl, REDIS_URL: redis.url, ...overrides },
    });
    return { app, url: await app.getUrl(), databaseUrl };
  }

  it('applies migrations at boot, and reports Postgres, Redis and consumers ready', async () => {
    const { app, url, databaseUrl } = await boot('chassis_ready');
    try {
      const tables = await query<{ table_name: string }>(
        databaseUrl,
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'chassis' ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(['migrations', 'processed_messages']);
      const ready = await readiness(url);
      expect(ready).toEqual({
        status: 200,
        body: expect.objectContaining({
          status: 'ok',
          info: expect.objectContaining({ postgres: expect.objectContaining({ status: 'up' }), redis: expect.objectContaining({ status: 'up' }) }),
        }),
      });
    } finally {
      await app.close();
    }
  });

  it('leaves the schema alone with MIGRATIONS_RUN=false', async () => {
    const { app, databaseUrl } = await boot('chassis_no_migrations', { MIGRATIONS_RUN: 'false' });
    try {
      expect(await query(databaseUrl, `SELECT 1 FROM information_schema.schemata WHERE schema_name = 'chassis'`)).toHaveLength(0);
    } finally {
      await app.close();
    }
  });

  it('turns readiness 503 while Redis is down and 200 again after it restarts', async () => {
    const { app, url } = await boot('chassis_redis');
    try {
      expect((await readiness(url)).status).toBe(200);
      await redis.stop();
      const down = await waitFor(async () => {
        const result = await readiness(url);
        return result.status === 503 ? result : undefined;
      }, { timeoutMs: 5000, description: 'readiness 503 after Redis stopped' });
      expect(down.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } }, info: { postgres: { status: 'up' } } });
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      await redis.restart();
      await waitFor(async () => (await readiness(url)).status === 200, { timeoutMs: 10_000, description: 'readiness 200 after Redis restarted' });
    } finally {
      await app.close();
    }
  });

  it('on shutdown: readiness 503 during the grace period, then HTTP, Postgres and Redis connections closed', async () => {
    const { app, url } = await boot('chassis_shutdown', { SHUTDOWN_GRACE_MS: '1000' });
    const connections = async () =>
      (
        await query<{ n: number }>(pg.url('chassis_shutdown'), `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'peerfed-chassis'`)
      )[0]?.n;
    const observer = redis.client();
    const redisClients = async () => {
      const list = String(await observer.call('CLIENT', 'LIST'));
      return list.split('\n').filter((line) => line.includes(' name=health ')).length;
    };
    expect(await connections()).toBeGreaterThan(0);
    expect(await redisClients()).toBe(1);

    const closing = app.get(ShutdownService).shutdown();
    const during = await readiness(url);
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ error: { shutdown: { status: 'down' } } });
    await closing;

    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    await waitFor(async () => (await connections()) === 0, { timeoutMs: 5000, description: 'Postgres connections closed' });
    await waitFor(async () => (await redisClients()) === 0, { timeoutMs: 5000, description: 'Redis health connection closed' });
  });
});
