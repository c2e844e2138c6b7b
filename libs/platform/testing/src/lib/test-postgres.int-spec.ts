import { Client } from 'pg';
import { startTestPostgres, type TestPostgres } from './test-postgres.util';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startTestPostgres', () => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startTestPostgres();
  });

  afterAll(async () => {
    await pg.cleanup();
  });

  it('starts, creates a database, keeps committed rows through kill -9 and restart', async () => {
    const url = await pg.createDatabase('app_test');
    expect(url).toBe(pg.url('app_test'));
    expect(await pg.createDatabase('app_test')).toBe(url);
    await query(url, 'CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)');
    await query(url, "INSERT INTO t VALUES (1, 'committed')");
    await pg.kill();
    await expect(query(url, 'SELECT 1')).rejects.toThrow();
    await pg.restart();
    expect(await query(url, 'SELECT id, v FROM t')).toEqual([{ id: 1, v: 'committed' }]);
  });

  it('rejects an invalid database name', async () => {
    await expect(pg.createDatabase('x"; DROP')).rejects.toThrow(/Invalid database name/);
  });
});
