import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { Client } from 'pg';
import { resolvePostgresBinDir } from './executables.util';
import { assertPort, isPortFree, LOOPBACK } from './free-port.util';
import { ManagedProcess } from './managed-process.util';
import { PortInUseException } from './port-in-use.exception';
import { ServerStartException } from './server-start.exception';
import { chownToUser, ensureSystemUser, ensureTraversable, isRoot, type SystemUser } from './system-user.util';
import { sleep, waitFor } from './wait-for.util';

export interface PostgresServerOptions {
  port: number;
  /** PGDATA. Initialised with initdb when missing or empty, reused otherwise. */
  dataDir: string;
  /** Unix socket directory; default `<dataDir>-socket` beside the data dir. */
  socketDir?: string;
  /**
   * Test mode: fsync=off and full_page_writes=off. Commits still reach the OS (synchronous_commit
   * stays on), so data survives a killed server but not a lost machine.
   */
  fast?: boolean;
  /** initdb --no-sync (default: same as `fast`). */
  noSync?: boolean;
  /** Directory with initdb and postgres; default: see resolvePostgresBinDir(). */
  binDir?: string;
  /** How long start() waits for a connection to succeed (default 30 s). */
  startTimeoutMs?: number;
  /** Receives one line per notable step (initdb, permission fixes). */
  log?: (message: string) => void;
}

const SUPERUSER = 'postgres';
const STOP_GRACE_MS = 30_000;
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A real PostgreSQL server on 127.0.0.1 with trust auth for the `postgres` superuser.
 * Postgres refuses to run as root, so as root it runs as the unprivileged `postgres` account.
 */
export class PostgresServerProcess {
  readonly host = LOOPBACK;
  /** True when the last start() ran initdb (false when it reused an existing data dir). */
  initialisedOnLastStart = false;
  private process: ManagedProcess | undefined;
  private readonly log: (message: string) => void;

  constructor(private readonly options: PostgresServerOptions) {
    assertPort(options.port, 'Postgres port');
    if (!isAbsolute(options.dataDir)) throw new Error(`Postgres dataDir must be an absolute path, got ${options.dataDir}`);
    this.log = options.log ?? (() => undefined);
  }

  get port(): number {
    return this.options.port;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get socketDir(): string {
    return this.options.socketDir ?? join(dirname(this.options.dataDir), `${basename(this.options.dataDir)}-socket`);
  }

  /** Server log, beside the data dir (initdb wants the data dir empty). */
  get logFile(): string {
    return join(dirname(this.options.dataDir), `${basename(this.options.dataDir)}.log`);
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  get pid(): number | undefined {
    return this.running ? this.process?.pid : undefined;
  }

  url(database = 'postgres'): string {
    return `postgres://${SUPERUSER}@${this.host}:${this.port}/${encodeURIComponent(database)}`;
  }

  /** initdb when needed, then start and resolve once a connection to `postgres` succeeds. */
  async start(): Promise<void> {
    if (this.running) return;
    const binDir = this.options.binDir ?? resolvePostgresBinDir();
    const user = isRoot() ? ensureSystemUser(SUPERUSER, this.log) : undefined;
    this.prepareDirs(binDir, user);
    this.initialisedOnLastStart = false;
    if (!this.isInitialised()) {
      await this.initdb(binDir, user);
      this.initialisedOnLastStart = true;
    }
    this.removeStalePidFile();
    if (!(await isPortFree(this.port, this.host))) throw new PortInUseException(this.port, 'postgres');
    // A postmaster killed a moment ago may leave backends that still hold its shared memory
    // for a few ms; postgres then refuses to start. That clears by itself, so retry briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startPostmaster(binDir, user);
        return;
      } catch (error) {
        const busy = error instanceof ServerStartException && /shared memory block .* still in use/i.test(error.logTail);
        if (!busy || attempt >= 5) throw error;
        await sleep(200 * attempt);
      }
    }
  }

  /** Fast shutdown (SIGINT): rolls back open transactions, checkpoints, exits. */
  async stop(): Promise<void> {
    await this.process?.terminate('SIGINT', STOP_GRACE_MS);
  }

  /** kill -9 of the postmaster and its backends, as a crash would; recovery replays WAL on start. */
  async kill(): Promise<void> {
    if (!this.process?.running) return;
    await this.process.kill();
    // We know this postmaster is dead; its pid may be reused before the next start.
    rmSync(join(this.dataDir, 'postmaster.pid'), { force: true });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Creates the database unless it exists; returns its URL. */
  async createDatabase(name: string): Promise<string> {
    if (!DATABASE_NAME.test(name)) throw new Error(`Invalid database name ${JSON.stringify(name)}: use letters, digits and _ (max 63)`);
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) {
        try {
          await client.query(`CREATE DATABASE "${name}"`);
        } catch (error) {
          // Another caller created it in between: fine, it exists.
          if ((error as { code?: string }).code !== '42P04') throw error;
        }
      }
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  private isInitialised(): boolean {
    if (existsSync(join(this.dataDir, 'PG_VERSION'))) return true;
    if (existsSync(this.dataDir) && readdirSync(this.dataDir).length > 0) {
      throw new Error(`${this.dataDir} is neither empty nor a PostgreSQL data directory (no PG_VERSION); move it away or choose another dir`);
    }
    return false;
  }

  private prepareDirs(binDir: string, user: SystemUser | undefined): void {
    mkdirSync(dirname(this.dataDir), { recursive: true, mode: 0o755 });
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.socketDir, { recursive: true, mode: 0o755 });
    if (!user) return;
    ensureTraversable(this.dataDir, user, this.log);
    ensureTraversable(this.socketDir, user, this.log);
    ensureTraversable(join(binDir, 'postgres'), user, this.log);
    chownToUser(this.dataDir, user);
    chownToUser(this.socketDir, user);
  }

  private async initdb(binDir: string, user: SystemUser | undefined): Promise<void> {
    this.log(`initialising a new PostgreSQL data directory in ${this.dataDir}`);
    const noSync = this.options.noSync ?? this.options.fast ?? false;
    const args = ['-D', this.dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions'];
    const proc = ManagedProcess.spawn({
      command: join(binDir, 'initdb'),
      args: noSync ? [...args, '--no-sync'] : args,
      logFile: this.logFile,
      cwd: dirname(this.dataDir),
      user,
    });
    const exit = (await proc.waitForExit(120_000)) ?? (await proc.kill());
    if (exit.code !== 0) {
      throw new ServerStartException('initdb', proc.exitError('initdb')?.message ?? 'timed out', this.logFile, proc.logTail());
    }
  }

  /** A pid file whose process is gone (or is no postgres any more) would block the start. */
  private removeStalePidFile(): void {
    const pidFile = join(this.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && processName(pid) === 'postgres') return;
    this.log(`removing stale ${pidFile} (pid ${pid} is not running)`);
    rmSync(pidFile, { force: true });
  }

  private async startPostmaster(binDir: string, user: SystemUser | undefined): Promise<void> {
    const args = ['-D', this.dataDir, '-p', String(this.port), '-k', this.socketDir, '-h', this.host];
    if (this.options.fast) args.push('-c', 'fsync=off', '-c', 'full_page_writes=off');
    const proc = ManagedProcess.spawn({ command: join(binDir, 'postgres'), args, logFile: this.logFile, cwd: dirname(this.dataDir), user });
    this.process = proc;
    try {
      await waitFor(() => this.canConnect(), {
        timeoutMs: this.options.startTimeoutMs ?? 30_000,
        intervalMs: 50,
        description: `postgres on port ${this.port} to accept connections`,
        abortWhen: () => proc.exitError('postgres'),
      });
    } catch (error) {
      await proc.kill();
      const tail = proc.logTail();
      if (/could not bind .* address already in use/i.test(tail)) throw new PortInUseException(this.port, 'postgres');
      throw new ServerStartException('postgres', error instanceof Error ? error.message : String(error), this.logFile, tail);
    }
  }

  private async canConnect(): Promise<boolean> {
    const client = new Client({ connectionString: this.url('postgres'), connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
