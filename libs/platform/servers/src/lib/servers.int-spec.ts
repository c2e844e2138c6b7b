import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { getFreePort } from './free-port.util';
import { PortInUseException } from './port-in-use.exception';
import { PostgresServerProcess } from './postgres.server';
import { RedisServerProcess } from './redis.server';

describe('server processes', () => {
  let dir: string;

  beforeEach(() => {
    // mkdtemp gives 0700: the Postgres server has to make it traversable itself when run as root.
    dir = mkdtempSync(join(tmpdir(), 'peerfed-servers-'));
  });

  afterEach(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('RedisServerProcess refuses a port that another program holds', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const redis = new RedisServerProcess({ port, dir: join(dir, 'redis') });
      await expect(redis.start()).rejects.toBeInstanceOf(PortInUseException);
      expect(redis.running).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('PostgresServerProcess initialises once, reuses the data dir, and recovers from a stale pid file', async () => {
    const dataDir = join(dir, 'pg', 'data');
    const pg = new PostgresServerProcess({ port: await getFreePort(), dataDir, fast: true });
    try {
      await pg.start();
      expect(pg.initialisedOnLastStart).toBe(true);
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      if (process.getuid?.() === 0) expect(statSync(dataDir).uid).not.toBe(0);
      await pg.stop();

      // A pid file left by a crash, naming a pid that is not a postgres, must not block the start.
      writeFileSync(join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
      await pg.start();
      expect(pg.initialisedOnLastStart).toBe(false);
      const client = new Client({ connectionString: pg.url() });
      await client.connect();
      const { rows } = await client.query<{ server_encoding: string }>('SHOW server_encoding');
      await client.end();
      expect(rows[0]?.server_encoding).toBe('UTF8');
    } finally {
      await pg.stop();
    }
  });

  it('PostgresServerProcess refuses a data dir that is not empty and not Postgres', async () => {
    const dataDir = join(dir, 'junk');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'notes.txt'), 'not postgres');
    const pg = new PostgresServerProcess({ port: await getFreePort(), dataDir });
    await expect(pg.start()).rejects.toThrow(/neither empty nor a PostgreSQL data directory/);
  });
});
