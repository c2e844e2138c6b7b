import { type INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { startTestPostgres, type TestPostgres } from './test-postgres.util';
import { startTestRedis, type TestRedis } from './test-redis.util';

export interface ServiceBootSuiteOptions {
  /** The service name: its Postgres schema, metrics label and OpenAPI title. */
  service: string;
  /** The app's own bootstrap(), called with env overrides pointing at throwaway servers. */
  bootstrap: (overrides: Record<string, string>) => Promise<INestApplication>;
  /** Every table the service's migrations create in its schema (besides `migrations`). */
  tables: string[];
  /** platform-database's findSchemaDrift (passed in: that lib's own tests use this harness). */
  findSchemaDrift: (dataSource: DataSource) => Promise<string[]>;
}

/**
 * The boot contract every service keeps: booted through its real bootstrap() against real
 * Postgres and Redis, it is live and ready, serves metrics and OpenAPI, and its migrations match
 * its entities. Chassis behaviour (outages, shutdown) is proven once in platform-observability.
 */
export function describeServiceBoot({ service, bootstrap, tables, findSchemaDrift }: ServiceBootSuiteOptions): void {
  describe(`${service} service booted through bootstrap()`, () => {
    let pg: TestPostgres;
    let redis: TestRedis;
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      [pg, redis] = await Promise.all([startTestPostgres(), startTestRedis({ appendonly: false })]);
      const databaseUrl = await pg.createDatabase(service);
      app = await bootstrap({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'error', DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
      url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    });

    afterAll(async () => {
      await app?.close();
      await Promise.all([redis?.cleanup(), pg?.cleanup()]);
    });

    it('is live and ready with Postgres, Redis and its Redis Streams server up', async () => {
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ok',
        info: { postgres: { status: 'up' }, redis: { status: 'up' }, consumers: { status: 'up', transports: [{ up: true }] } },
      });
    });

    it(`serves Prometheus metrics labelled service=${service}, with the HTTP histogram`, async () => {
      await fetch(`${url}/health/live`);
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(text).toContain('# TYPE http_request_duration_seconds histogram');
      const sample = new RegExp(`^http_request_duration_seconds_count\\{service="${service}",method="GET",route="/health/live",status="200"\\} [1-9]`, 'm');
      expect(text).toMatch(sample);
    });

    it(`applied every migration into schema ${service}, with no drift from the entities`, async () => {
      const dataSource = app.get(DataSource);
      const found: { table_name: string }[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [service],
      );
      expect(found.map((t) => t.table_name)).toEqual(['migrations', ...tables].sort());
      expect(await dataSource.showMigrations()).toBe(false);
      expect(await findSchemaDrift(dataSource)).toEqual([]);
    });

    it('serves its OpenAPI document', async () => {
      const response = await fetch(`${url}/api/docs-json`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ info: { title: `Peerfed ${service}` } });
    });
  });
}
