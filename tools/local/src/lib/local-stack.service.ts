import { isPortFree } from '@peerfed/platform/servers';
import { type LocalStackConfig } from './local-config.util';
import { type DatabaseEndpoint, LocalDatabases } from './local-databases.service';
import { LocalStackException } from './local-stack.exception';
import { type LocalServiceSpec } from './local-services.util';
import { formatReadyTable, maskUrl } from './ready-table.util';
import { ServiceSupervisor, type ServiceExit } from './service-supervisor.service';

export interface LocalStackOptions {
  config: LocalStackConfig;
  /** The services to run once the databases are up. */
  services: (urls: { databaseUrl: string; redisUrl: string }) => LocalServiceSpec[];
  /** Runner messages and prefixed service logs (default: stdout). */
  out?: (line: string) => void;
  readyTimeoutMs?: number;
  stopGraceMs?: number;
}

/**
 * `npm start`: databases, then services, then a summary; on a stop request (Ctrl-C) or a
 * service that dies, services are stopped first and the databases it started last.
 */
export class LocalStack {
  private readonly out: (line: string) => void;
  private readonly databases: LocalDatabases;
  private readonly supervisor: ServiceSupervisor;
  private stopRequested = false;
  private exitCode = 0;
  private resolveStopRequest: () => void = () => undefined;
  private readonly stopRequest = new Promise<void>((resolve) => (this.resolveStopRequest = resolve));

  constructor(private readonly options: LocalStackOptions) {
    const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
    this.out = out;
    this.databases = new LocalDatabases(options.config, (line) => this.say(line));
    this.supervisor = new ServiceSupervisor({ output: out, stopGraceMs: options.stopGraceMs });
    this.supervisor.on('unexpected-exit', (exit) => this.onUnexpectedExit(exit));
  }

  /** Starts everything, runs until a stop is requested or something fails; resolves with the exit code. */
  async run(): Promise<number> {
    const startup = this.startUp().catch((error: unknown) => {
      if (this.stopRequested) return;
      this.say(error instanceof LocalStackException ? error.message : describeError(error));
      this.requestStop(1);
    });
    await this.stopRequest;
    this.say('stopping services');
    await this.supervisor.stop();
    await startup;
    await this.supervisor.stop();
    await this.databases.stop();
    this.say(this.exitCode === 0 ? 'stopped' : 'stopped after an error');
    return this.exitCode;
  }

  /** First call: graceful stop with `code`. A second call (Ctrl-C again) kills the services at once. */
  requestStop(code = 0): void {
    if (this.stopRequested) {
      this.say('stopping now (SIGKILL to the services)');
      this.supervisor.kill();
      return;
    }
    this.stopRequested = true;
    this.exitCode = code;
    this.resolveStopRequest();
  }

  private async startUp(): Promise<void> {
    // allSettled: when one fails, the other must have finished starting before we stop it.
    const [pg, rd] = await Promise.allSettled([this.databases.startPostgres(), this.databases.startRedis()]);
    if (pg.status === 'rejected') throw pg.reason;
    if (rd.status === 'rejected') throw rd.reason;
    const [postgres, redis] = [pg.value, rd.value];
    if (this.stopRequested) return;
    const specs = this.options.services({ databaseUrl: postgres.url, redisUrl: redis.url });
    await assertServicePortsFree(specs);
    if (this.stopRequested) return;
    this.say(`starting ${specs.map((s) => s.name).join(', ')}`);
    this.supervisor.start(specs);
    const timeoutMs = this.options.readyTimeoutMs ?? 90_000;
    await this.supervisor.waitUntilReady(timeoutMs);
    if (this.stopRequested) return;
    this.printSummary(specs, postgres, redis);
  }

  private printSummary(specs: readonly LocalServiceSpec[], postgres: DatabaseEndpoint, redis: DatabaseEndpoint): void {
    const rows = specs.map((s) => ({ service: s.name, url: s.url, healthUrl: s.healthUrl, status: this.supervisor.status(s.name) ?? '?' }));
    this.out('');
    this.out(formatReadyTable(rows));
    this.out('');
    this.out(`Postgres  ${maskUrl(postgres.url)}  (${postgres.origin})`);
    this.out(`Redis     ${maskUrl(redis.url)}  (${redis.origin})`);
    this.out('');
    this.say('all services are ready. Press Ctrl-C to stop.');
  }

  private onUnexpectedExit(exit: ServiceExit): void {
    if (this.stopRequested) return;
    const how = exit.signal ? `signal ${exit.signal}` : `code ${String(exit.code)}`;
    const lines = exit.lastLines.length > 0 ? exit.lastLines.map((l) => `    ${l}`).join('\n') : '    (no output)';
    this.say(`${exit.name} exited unexpectedly (${how}); shutting everything down. Last log lines:\n${lines}`);
    this.requestStop(1);
  }

  private say(line: string): void {
    this.out(`[local] ${line}`);
  }
}

async function assertServicePortsFree(specs: readonly LocalServiceSpec[]): Promise<void> {
  const taken: string[] = [];
  for (const spec of specs) if (!(await isPortFree(spec.port))) taken.push(`${spec.port} (${spec.name})`);
  if (taken.length > 0) {
    throw new LocalStackException(`Port(s) ${taken.join(', ')} already in use by another program; stop it (an earlier \`npm start\`?) and run again.`);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
