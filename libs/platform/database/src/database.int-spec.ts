import { startTestPostgres, type TestPostgres, waitFor } from '@peerfed/platform/testing';
import { Column, DataSource, Entity, type EntityManager, type MigrationInterface, PrimaryColumn, type QueryRunner } from 'typeorm';
import { createDataSourceOptions } from './data-source-options.util';
import { expireProcessedMessages } from './expire-processed-messages.util';
import { runMigrations } from './migration-runner.util';
import { ProcessedMessage } from './processed-message.entity';
import { ProcessedMessagesExpiry } from './processed-messages-expiry.service';
import { createProcessedMessagesTable, dropProcessedMessagesTable } from './processed-messages-table.util';
import { runOnce } from './run-once.util';
import { findSchemaDrift } from './schema-drift.util';

const SCHEMA = 'dbtest';

class CreateProcessedMessages1795360155377 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await createProcessedMessagesTable(queryRunner, SCHEMA);
    await queryRunner.query(`CREATE TABLE "${SCHEMA}".effects (id serial PRIMARY KEY, message_id varchar NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${SCHEMA}".effects`);
    await dropProcessedMessagesTable(queryRunner, SCHEMA);
  }
}

function dataSourceFor(url: string, schema = SCHEMA): DataSource {
  return new DataSource(
    createDataSourceOptions({ url, schema, entities: [ProcessedMessage], migrations: [CreateProcessedMessages1795360155377], poolSize: 4 }),
  );
}

describe('platform database', () => {
  let pg: TestPostgres;
  let dataSource: DataSource;

  beforeAll(async () => {
    pg = await startTestPostgres();
    dataSource = await dataSourceFor(await pg.createDatabase('database_lib')).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await pg?.cleanup();
  });

  describe('runMigrations', () => {
    it('creates the schema, applies pending migrations once even when replicas race, records them in <schema>.migrations', async () => {
      const replica = await dataSourceFor(pg.url('database_lib')).initialize();
      try {
        const [first, second] = await Promise.all([runMigrations(dataSource, SCHEMA), runMigrations(replica, SCHEMA)]);
        expect([...first, ...second]).toEqual(['CreateProcessedMessages1795360155377']);
      } finally {
        await replica.destroy();
      }
      const tables: { table_name: string }[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [SCHEMA],
      );
      expect(tables.map((t) => t.table_name)).toEqual(['effects', 'migrations', 'processed_messages']);
      expect(await runMigrations(dataSource, SCHEMA)).toEqual([]);
    });

    it('leaves no drift between the ProcessedMessage entity and the migration', async () => {
      expect(await findSchemaDrift(dataSource)).toEqual([]);
    });

    it('reports drift when an entity has no migration', async () => {
      @Entity({ name: 'unmigrated' })
      class Unmigrated {
        @PrimaryColumn({ type: 'varchar' })
        id!: string;

        @Column({ type: 'int' })
        size!: number;
      }
      const drifting = new DataSource(
        createDataSourceOptions({ url: pg.url('database_lib'), schema: SCHEMA, entities: [ProcessedMessage, Unmigrated], migrations: [] }),
      );
      await drifting.initialize();
      try {
        const drift = await findSchemaDrift(drifting);
        expect(drift).toHaveLength(1);
        expect(drift[0]).toMatch(/^CREATE TABLE ("dbtest"\.)?"unmigrated"/);
      } finally {
        await drifting.destroy();
      }
    });

    it('rolls back every migration of a failing run', async () => {
      class Broken1795360155378 implements MigrationInterface {
        async up(queryRunner: QueryRunner): Promise<void> {
          await queryRunner.query('CREATE TABLE "broken_schema".half_done (id int)');
          await queryRunner.query('SELECT * FROM no_such_table');
        }
        async down(): Promise<void> {
          throw new Error('not reversible');
        }
      }
      const broken = new DataSource(
        createDataSourceOptions({
          url: pg.url('database_lib'),
          schema: 'broken_schema',
          entities: [],
          migrations: [Broken1795360155378],
        }),
      );
      await broken.initialize();
      try {
        await expect(runMigrations(broken, 'broken_schema')).rejects.toThrow(/no_such_table/);
        const rows: unknown[] = await broken.query(
          `SELECT 1 FROM information_schema.tables WHERE table_schema = 'broken_schema' AND table_name = 'half_done'`,
        );
        expect(rows).toHaveLength(0);
      } finally {
        await broken.destroy();
      }
    });
  });

  describe('runOnce', () => {
    async function effectCount(messageId: string): Promise<number> {
      const rows: { n: number }[] = await dataSource.query(`SELECT count(*)::int AS n FROM "${SCHEMA}".effects WHERE message_id = $1`, [messageId]);
      return rows[0]?.n ?? -1;
    }

    async function processedCount(messageId: string): Promise<number> {
      const rows: { n: number }[] = await dataSource.query(
        `SELECT count(*)::int AS n FROM "${SCHEMA}".processed_messages WHERE message_id = $1`,
        [messageId],
      );
      return rows[0]?.n ?? -1;
    }

    const insertEffect = (messageId: string) => async (manager: EntityManager) => {
      await manager.query(`INSERT INTO "${SCHEMA}".effects (message_id) VALUES ($1)`, [messageId]);
      return messageId.length;
    };

    it('runs the effect once and reports the duplicate', async () => {
      const key = { consumer: 'test.consumer', messageId: 'm-1' };
      await expect(runOnce(dataSource, key, insertEffect('m-1'))).resolves.toEqual({ duplicate: false, result: 3 });
      await expect(runOnce(dataSource, key, insertEffect('m-1'))).resolves.toEqual({ duplicate: true });
      expect(await effectCount('m-1')).toBe(1);
    });

    it('keys by consumer as well as message id', async () => {
      await runOnce(dataSource, { consumer: 'a', messageId: 'm-2' }, insertEffect('m-2'));
      await runOnce(dataSource, { consumer: 'b', messageId: 'm-2' }, insertEffect('m-2'));
      expect(await effectCount('m-2')).toBe(2);
    });

    it('runs exactly one effect when duplicates race', async () => {
      const key = { consumer: 'test.consumer', messageId: 'm-race' };
      let release!: () => void;
      let entered!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const firstInside = new Promise<void>((resolve) => (entered = resolve));
      // The first effect holds its transaction open until the second call is waiting on the row lock.
      const first = runOnce(dataSource, key, async (manager) => {
        entered();
        await gate;
        return insertEffect('m-race')(manager);
      });
      await firstInside;
      const second = runOnce(dataSource, key, insertEffect('m-race'));
      await waitForLockWaiter();
      release();
      const results = await Promise.all([first, second]);
      expect(results.filter((r) => r.duplicate)).toHaveLength(1);
      expect(await effectCount('m-race')).toBe(1);

      const burst = await Promise.all(
        Array.from({ length: 6 }, () => runOnce(dataSource, { consumer: 'burst', messageId: 'm-burst' }, insertEffect('m-burst'))),
      );
      expect(burst.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await effectCount('m-burst')).toBe(1);
    });

    it('records nothing when the effect fails, so a retry runs it', async () => {
      const key = { consumer: 'test.consumer', messageId: 'm-fail' };
      await expect(
        runOnce(dataSource, key, async (manager) => {
          await insertEffect('m-fail')(manager);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await processedCount('m-fail')).toBe(0);
      expect(await effectCount('m-fail')).toBe(0);
      await expect(runOnce(dataSource, key, insertEffect('m-fail'))).resolves.toEqual({ duplicate: false, result: 6 });
      expect(await effectCount('m-fail')).toBe(1);
    });

    async function waitForLockWaiter(): Promise<void> {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const rows: unknown[] = await dataSource.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO "${SCHEMA}".%'`,
        );
        if (rows.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the duplicate never waited on the first transaction');
    }
  });

  describe('expireProcessedMessages', () => {
    it('deletes rows older than N days, in batches, and keeps newer ones', async () => {
      const now = new Date('2026-11-22T12:00:00Z');
      await dataSource.query(
        `INSERT INTO "${SCHEMA}".processed_messages (consumer, message_id, processed_at)
         SELECT 'expiry', 'old-' || i, $1::timestamptz FROM generate_series(1, 5) AS i`,
        [new Date('2026-11-10T12:00:00Z')],
      );
      await dataSource.query(
        `INSERT INTO "${SCHEMA}".processed_messages (consumer, message_id, processed_at) VALUES ('expiry', 'recent', $1)`,
        [new Date('2026-11-20T12:00:00Z')],
      );
      const deleted = await expireProcessedMessages(dataSource, { olderThanDays: 7, now, batchSize: 2 });
      expect(deleted).toBe(5);
      const left: { message_id: string }[] = await dataSource.query(
        `SELECT message_id FROM "${SCHEMA}".processed_messages WHERE consumer = 'expiry'`,
      );
      expect(left.map((r) => r.message_id)).toEqual(['recent']);
    });

    const insertAged = (messageId: string, ageDays: number) =>
      dataSource.query(
        `INSERT INTO "${SCHEMA}".processed_messages (consumer, message_id, processed_at) VALUES ('sweep', $1, now() - make_interval(days => $2))`,
        [messageId, ageDays],
      );
    const sweepRows = async () =>
      ((await dataSource.query(`SELECT message_id FROM "${SCHEMA}".processed_messages WHERE consumer = 'sweep' ORDER BY message_id`)) as { message_id: string }[]).map(
        (r) => r.message_id,
      );

    it('ProcessedMessagesExpiry sweeps on its schedule until the application shuts down', async () => {
      const expiry = new ProcessedMessagesExpiry(dataSource, { retentionDays: 3, intervalMs: 20 });
      await insertAged('stale-1', 4);
      await insertAged('fresh', 1);
      expiry.onApplicationBootstrap();
      try {
        await waitFor(async () => !(await sweepRows()).includes('stale-1'), { timeoutMs: 5000, description: 'first sweep' });
        await insertAged('stale-2', 10);
        await waitFor(async () => !(await sweepRows()).includes('stale-2'), { timeoutMs: 5000, description: 'a later sweep' });
      } finally {
        await expiry.onApplicationShutdown();
      }
      await insertAged('stale-3', 10);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await sweepRows()).toEqual(['fresh', 'stale-3']);
      await dataSource.query(`DELETE FROM "${SCHEMA}".processed_messages WHERE consumer = 'sweep'`);
    });

    it('a failed sweep reports 0 and does not throw (the next interval tries again)', async () => {
      const closed = await dataSourceFor(pg.url('database_lib')).initialize();
      await closed.destroy();
      const expiry = new ProcessedMessagesExpiry(closed, { retentionDays: 3, intervalMs: 60_000 });
      await expect(expiry.sweep()).resolves.toBe(0);
    });
  });
});
