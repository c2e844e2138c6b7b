import { getFreePort, PostgresServerProcess } from '@peerfed/platform/servers';
import { join } from 'node:path';
import { registerCleanup } from './cleanup-registry.util';
import { retryOnPortClash } from './port-retry.util';
import { makeTempDir, removeDir } from './temp-dir.util';

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
  const dir = makeTempDir('pg');
  try {
    const server = await retryOnPortClash(async () => {
      const candidate = new PostgresServerProcess({ port: await getFreePort(), dataDir: join(dir, 'data'), fast: options.fast ?? true });
      await candidate.start();
      return candidate;
    });
    return new TestPostgresHandle(server, dir);
  } catch (error) {
    removeDir(dir);
    throw error;
  }
}

class TestPostgresHandle implements TestPostgres {
  private cleaned: Promise<void> | undefined;
  private readonly unregister: () => void;

  constructor(
    private readonly server: PostgresServerProcess,
    private readonly tempDir: string,
  ) {
    this.unregister = registerCleanup(() => this.cleanup());
  }

  get port(): number {
    return this.server.port;
  }

  get host(): string {
    return this.server.host;
  }

  url(database?: string): string {
    return this.server.url(database);
  }

  createDatabase(name: string): Promise<string> {
    return this.server.createDatabase(name);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  kill(): Promise<void> {
    return this.server.kill();
  }

  restart(): Promise<void> {
    return this.server.restart();
  }

  cleanup(): Promise<void> {
    this.cleaned ??= (async () => {
      this.unregister();
      try {
        await this.server.stop();
      } finally {
        removeDir(this.tempDir);
      }
    })();
    return this.cleaned;
  }
}
