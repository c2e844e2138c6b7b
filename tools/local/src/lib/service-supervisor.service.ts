import { killGroup, trackChild, withParentDeathSignal } from '@peerfed/platform/servers';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { lineSplitter } from './line-splitter.util';

export interface ServiceSpec {
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Answers 200 once the service is ready. */
  readyUrl: string;
}

export type ServiceStatus = 'starting' | 'ready' | 'stopping' | 'stopped' | 'exited';

export interface ServiceExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  lastLines: string[];
}

export interface SupervisorOptions {
  /** Receives every log line, already prefixed with the service name. */
  output?: (line: string) => void;
  /** How long stop() waits after SIGTERM before SIGKILL (default 15 s). */
  stopGraceMs?: number;
  /** Lines kept per service for error messages (default 30). */
  keepLines?: number;
}

interface Running {
  spec: ServiceSpec;
  child: ChildProcess;
  status: ServiceStatus;
  lastLines: string[];
  lastProbe: string;
  exited: Promise<ServiceExit>;
}

/**
 * Runs the services as child processes: prefixes their output, waits for readiness, reports a
 * service that dies on its own ('unexpected-exit' event), and stops them all on request.
 */
export class ServiceSupervisor extends EventEmitter<{ 'unexpected-exit': [ServiceExit] }> {
  private readonly services = new Map<string, Running>();
  private readonly output: (line: string) => void;
  private readonly stopGraceMs: number;
  private readonly keepLines: number;
  private stopping = false;

  constructor(options: SupervisorOptions = {}) {
    super();
    this.output = options.output ?? ((line) => process.stdout.write(`${line}\n`));
    this.stopGraceMs = options.stopGraceMs ?? 15_000;
    this.keepLines = options.keepLines ?? 30;
  }

  start(specs: readonly ServiceSpec[]): void {
    const width = Math.max(...specs.map((spec) => spec.name.length));
    for (const spec of specs) this.spawn(spec, width);
  }

  status(name: string): ServiceStatus | undefined {
    return this.services.get(name)?.status;
  }

  lastLines(name: string): string[] {
    return [...(this.services.get(name)?.lastLines ?? [])];
  }

  /**
   * Resolves once every service answers 200 on its ready URL. Rejects naming the services that
   * did not (with their last log lines) after `timeoutMs`, or at once when one exits.
   */
  async waitUntilReady(timeoutMs: number, intervalMs = 500): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const dead = [...this.services.values()].find((s) => s.status === 'exited');
      if (dead) throw new Error(`${dead.spec.name} exited before it was ready.\n${this.describe(dead)}`);
      if (this.stopping) throw new Error('Stopped before every service was ready');
      const pending = [...this.services.values()].filter((s) => s.status === 'starting');
      await Promise.all(pending.map((s) => this.probe(s)));
      if ([...this.services.values()].every((s) => s.status === 'ready')) return;
      if (Date.now() >= deadline) {
        const late = [...this.services.values()].filter((s) => s.status === 'starting');
        const names = late.map((s) => s.spec.name).join(', ');
        throw new Error(`Not ready after ${Math.round(timeoutMs / 1000)} s: ${names}.\n${late.map((s) => this.describe(s)).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
    }
  }

  /** SIGTERM to every running service, SIGKILL to those still running after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    const running = [...this.services.values()].filter((s) => s.status !== 'exited' && s.status !== 'stopped');
    for (const service of running) {
      service.status = 'stopping';
      killGroup(service.child, 'SIGTERM');
    }
    await Promise.all(
      running.map(async (service) => {
        let timer: NodeJS.Timeout | undefined;
        const forced = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            this.output(`${service.spec.name} did not stop within ${Math.round(this.stopGraceMs / 1000)} s: killing it`);
            killGroup(service.child, 'SIGKILL');
            resolve();
          }, this.stopGraceMs);
        });
        await Promise.race([service.exited, forced]);
        clearTimeout(timer);
        await service.exited;
      }),
    );
  }

  /** SIGKILL every service now (a second Ctrl-C). */
  kill(): void {
    this.stopping = true;
    for (const service of this.services.values()) killGroup(service.child, 'SIGKILL');
  }

  private spawn(spec: ServiceSpec, width: number): void {
    const prefix = `${spec.name.padEnd(width)} | `;
    // Detached: a Ctrl-C in the terminal reaches only the supervisor, which stops services in order.
    // If the supervisor itself is killed, the kernel sends the services SIGTERM (graceful stop).
    const [command, args] = withParentDeathSignal(spec.command, spec.args, 'TERM');
    const child = spawn(command, args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    trackChild(child);
    let resolveExit: (exit: ServiceExit) => void = () => undefined;
    const exited = new Promise<ServiceExit>((resolve) => (resolveExit = resolve));
    const service: Running = { spec, child, status: 'starting', lastLines: [], lastProbe: 'not probed yet', exited };
    const onLine = (line: string): void => {
      service.lastLines.push(line);
      if (service.lastLines.length > this.keepLines) service.lastLines.shift();
      this.output(prefix + line);
    };
    const out = lineSplitter(onLine);
    const err = lineSplitter(onLine);
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      out.flush();
      err.flush();
      const expected = service.status === 'stopping' || this.stopping;
      service.status = expected ? 'stopped' : 'exited';
      const exit = { name: spec.name, code, signal, lastLines: [...service.lastLines] };
      if (!expected) this.emit('unexpected-exit', exit);
      resolveExit(exit);
    };
    // 'close' (not 'exit') so that the last output lines are in before we report.
    child.once('close', finish);
    child.on('error', (error) => {
      onLine(`failed to start: ${error.message}`);
      if (child.pid === undefined) finish(null, null);
    });
    this.services.set(spec.name, service);
  }

  private async probe(service: Running): Promise<void> {
    try {
      const response = await fetch(service.spec.readyUrl, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      service.lastProbe = `answered ${response.status}`;
      if (response.ok && service.status === 'starting') service.status = 'ready';
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      service.lastProbe = `failed: ${cause}`;
    }
  }

  private describe(service: Running): string {
    const lines = service.lastLines.length > 0 ? service.lastLines.map((l) => `    ${l}`).join('\n') : '    (no output)';
    return `  ${service.spec.name}: GET ${service.spec.readyUrl} ${service.lastProbe}; last log lines:\n${lines}`;
  }
}
