import { PostgresServerProcess } from '@peerfed/platform/servers';
import { join } from 'node:path';
import { startOnFreePort } from './port-retry.util';
import { RestartableServerHandle } from './restartable-server-handle.util';
import { withTempDir } from './temp-dir.util';

export interface TestPostgresOptions {
  /** fsync=off, full_page_writes=off, initdb --no-sync (default true). Survives kill -9, not power loss. */
  fast?: boolean;
}

export interface TestPostgres {
  readonly port: number;
  readonly host: string;
  /** Connection URL for a database (default `postgres`), user `postgres`, no password. */
  url(database?: string): string;
  /** Creates the database if missing; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  /** kill -9 of the postmaster and its backends. */
  kill(): Promise<void>;
  /** Start again on the same port and data dir. */
  restart(): Promise<void>;
  /** Stops the server and removes its temp dir. Idempotent. */
  cleanup(): Promise<void>;
}

/** A throwaway PostgreSQL server on a free loopback port, data in a temp dir (~1-2 s). */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  return withTempDir('pg', async (dir) => {
    const server = await startOnFreePort((port) => new PostgresServerProcess({ port, dataDir: join(dir, 'data'), fast: options.fast ?? true }));
    return new TestPostgresHandle(server, dir);
  });
}

class TestPostgresHandle extends RestartableServerHandle<PostgresServerProcess> implements TestPostgres {
  url(database?: string): string {
    return this.server.url(database);
  }

  createDatabase(name: string): Promise<string> {
    return this.server.createDatabase(name);
  }
}
