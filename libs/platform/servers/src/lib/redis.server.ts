import { mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { assertPort, isPortFree, LOOPBACK } from './free-port.util';
import { requireRedisExecutable } from './executables.util';
import { ManagedProcess } from './managed-process.util';
import { PortInUseException } from './port-in-use.exception';
import { redisCommand } from './redis-command.util';
import { ServerStartException } from './server-start.exception';
import { waitFor } from './wait-for.util';

export interface RedisServerOptions {
  port: number;
  /** Data directory (AOF, cluster config, redis.log). Created when missing. */
  dir: string;
  /** Append-only file persistence (default true). */
  appendonly?: boolean;
  /** default 'everysec'; 'always' acknowledges a write only once it is on disk. */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Start as a Redis Cluster node (cluster-enabled, config file in `dir`). */
  cluster?: boolean;
  /** More redis-server arguments, e.g. ['--maxmemory', '64mb']. */
  extraArgs?: readonly string[];
  /** How long start() waits for PING to answer (default 15 s). */
  startTimeoutMs?: number;
}

const STOP_GRACE_MS = 10_000;

/** A real redis-server on 127.0.0.1, started and stopped on demand, data kept in `dir`. */
export class RedisServerProcess {
  readonly host = LOOPBACK;
  private process: ManagedProcess | undefined;

  constructor(private readonly options: RedisServerOptions) {
    assertPort(options.port, 'Redis port');
    if (!isAbsolute(options.dir)) throw new Error(`Redis dir must be an absolute path, got ${options.dir}`);
  }

  get port(): number {
    return this.options.port;
  }

  get dir(): string {
    return this.options.dir;
  }

  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  get logFile(): string {
    return join(this.options.dir, 'redis.log');
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  get pid(): number | undefined {
    return this.running ? this.process?.pid : undefined;
  }

  /** Resolves once the server answers PING (so an AOF has been loaded). */
  async start(): Promise<void> {
    if (this.running) return;
    const binary = requireRedisExecutable('redis-server');
    mkdirSync(this.options.dir, { recursive: true, mode: 0o755 });
    if (!(await isPortFree(this.port, this.host))) throw new PortInUseException(this.port, 'redis-server');
    const proc = ManagedProcess.spawn({ command: binary, args: this.args(), logFile: this.logFile, cwd: this.options.dir });
    this.process = proc;
    await this.awaitReady(proc);
  }

  /** Graceful: SIGTERM makes Redis flush its AOF and exit; SIGKILL if that takes over 10 s. */
  async stop(): Promise<void> {
    await this.process?.terminate('SIGTERM', STOP_GRACE_MS);
  }

  /** kill -9: no shutdown, whatever the AOF fsync policy did not persist is lost. */
  async kill(): Promise<void> {
    await this.process?.kill();
  }

  /** Stops (if running) and starts again on the same port and dir: persisted data survives. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private args(): string[] {
    const o = this.options;
    const args = ['--port', String(o.port), '--bind', this.host, '--dir', o.dir, '--daemonize', 'no', '--logfile', ''];
    // AOF is the persistence that matters here; RDB snapshots would only add background forks.
    args.push('--save', '', '--appendonly', o.appendonly === false ? 'no' : 'yes', '--appendfsync', o.appendfsync ?? 'everysec');
    if (o.cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(o.dir, 'nodes.conf'));
    return [...args, ...(o.extraArgs ?? [])];
  }

  private async awaitReady(proc: ManagedProcess): Promise<void> {
    const timeoutMs = this.options.startTimeoutMs ?? 15_000;
    try {
      await waitFor(async () => (await redisCommand(this.host, this.port, 'PING')) === 'PONG', {
        timeoutMs,
        intervalMs: 25,
        description: `redis-server on port ${this.port} to answer PING`,
        abortWhen: () => proc.exitError('redis-server'),
      });
    } catch (error) {
      await proc.kill();
      const tail = proc.logTail();
      if (/address already in use/i.test(tail)) throw new PortInUseException(this.port, 'redis-server');
      throw new ServerStartException('redis-server', error instanceof Error ? error.message : String(error), this.logFile, tail);
    }
  }
}
