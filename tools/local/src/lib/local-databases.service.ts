import { isPortFree, PortInUseException, PostgresServerProcess, RedisServerProcess } from '@peerfed/platform/servers';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type LocalStackConfig } from './local-config.util';
import { LocalStackException } from './local-stack.exception';
import { ensureRedisServerInstalled } from './redis-install.util';

export const LOCAL_DATABASE_NAME = 'peerfed';

export interface DatabaseEndpoint {
  url: string;
  /** Where it comes from, for the summary ("started by npm start, data .data/postgres" or "DATABASE_URL"). */
  origin: string;
}

type LocalDatabaseSettings = Pick<LocalStackConfig, 'repoRoot' | 'databaseUrl' | 'redisUrl' | 'pgPort' | 'redisPort'>;

/**
 * Postgres and Redis for the local stack: the ones named by DATABASE_URL / REDIS_URL, or servers
 * it starts itself with data under <repo>/.data (reused by the next start, never re-initialised).
 */
export class LocalDatabases {
  private postgres: PostgresServerProcess | undefined;
  private redis: RedisServerProcess | undefined;

  constructor(
    private readonly settings: LocalDatabaseSettings,
    private readonly log: (line: string) => void,
  ) {}

  get dataRoot(): string {
    return join(this.settings.repoRoot, '.data');
  }

  async startPostgres(): Promise<DatabaseEndpoint> {
    if (this.settings.databaseUrl) return { url: this.settings.databaseUrl, origin: 'from DATABASE_URL' };
    const port = this.settings.pgPort;
    const dataDir = join(this.dataRoot, 'postgres');
    if (!(await isPortFree(port))) throw this.portTaken(port, 'Postgres', 'PEERFED_LOCAL_PG_PORT', 'DATABASE_URL', dataDir);
    const server = new PostgresServerProcess({ port, dataDir, log: (line) => this.log(`postgres: ${line}`) });
    this.postgres = server;
    this.log(`starting PostgreSQL on 127.0.0.1:${port} (data ${this.display(dataDir)})`);
    try {
      await server.start();
    } catch (error) {
      if (error instanceof PortInUseException) throw this.portTaken(port, 'Postgres', 'PEERFED_LOCAL_PG_PORT', 'DATABASE_URL', dataDir);
      throw error;
    }
    const url = await server.createDatabase(LOCAL_DATABASE_NAME);
    const how = server.initialisedOnLastStart ? 'new data dir' : 'reused data dir';
    return { url, origin: `started by npm start, ${how} ${this.display(dataDir)}` };
  }

  async startRedis(): Promise<DatabaseEndpoint> {
    if (this.settings.redisUrl) return { url: this.settings.redisUrl, origin: 'from REDIS_URL' };
    ensureRedisServerInstalled(this.log);
    const port = this.settings.redisPort;
    const dir = join(this.dataRoot, 'redis');
    if (!(await isPortFree(port))) throw this.portTaken(port, 'Redis', 'PEERFED_LOCAL_REDIS_PORT', 'REDIS_URL');
    const server = new RedisServerProcess({ port, dir, appendonly: true, appendfsync: 'everysec' });
    this.redis = server;
    this.log(`starting Redis on 127.0.0.1:${port} (AOF, data ${this.display(dir)})`);
    try {
      await server.start();
    } catch (error) {
      if (error instanceof PortInUseException) throw this.portTaken(port, 'Redis', 'PEERFED_LOCAL_REDIS_PORT', 'REDIS_URL');
      throw error;
    }
    return { url: server.url, origin: `started by npm start, data ${this.display(dir)}` };
  }

  /** Stops what this runner started (Redis first: services are gone already), graceful. */
  async stop(): Promise<void> {
    const stops: Promise<void>[] = [];
    if (this.redis?.running) {
      this.log('stopping Redis');
      stops.push(this.redis.stop());
    }
    if (this.postgres?.running) {
      this.log('stopping PostgreSQL');
      stops.push(this.postgres.stop());
    }
    await Promise.all(stops);
  }

  private portTaken(port: number, what: string, portVar: string, urlVar: string, dataDir?: string): LocalStackException {
    const leftover = dataDir ? livePostmaster(dataDir) : undefined;
    const who = leftover
      ? `a PostgreSQL from an earlier run still uses ${this.display(dataDir ?? '')} (pid ${leftover}); stop it with \`kill ${leftover}\`, or`
      : 'it is used by another program;';
    return new LocalStackException(
      `Cannot start ${what}: port ${port} on 127.0.0.1 is already in use: ${who} set ${portVar} to a free port (or ${urlVar} to use your own ${what}).`,
    );
  }

  private display(path: string): string {
    return relative(this.settings.repoRoot, path) || path;
  }
}

/** pid of a running postmaster that owns `dataDir`, if any. */
function livePostmaster(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}
