import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type RedisStreamsConnectionOptions } from '../lib/redis-connection.util';
import { type RedisStreamsServerOptions } from '../lib/redis-streams-options.types';

/** A consumer in its own process (see child-consumer.fixture.ts), for kill -9 and SIGTERM tests. */
export class ChildConsumer {
  readonly started = new Set<string>();
  readonly done = new Set<string>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private ready = false;
  private closed = false;
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) this.onLine(line);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static spawn(config: {
    connection: RedisStreamsConnectionOptions;
    stream: string;
    handlerDelayMs: number;
    options: Partial<RedisStreamsServerOptions>;
  }): ChildConsumer {
    const child = spawn(
      process.execPath,
      ['--no-warnings', '-r', join(__dirname, 'swc-register.cjs'), join(__dirname, 'child-consumer.fixture.ts'), JSON.stringify(config)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new ChildConsumer(child);
  }

  get isReady(): boolean {
    return this.ready;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get errorOutput(): string {
    return this.stderr;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  private onLine(line: string): void {
    const [word, id] = line.split(' ');
    if (word === 'start' && id) this.started.add(id);
    else if (word === 'done' && id) this.done.add(id);
    else if (word === 'ready') this.ready = true;
    else if (word === 'closed') this.closed = true;
  }
}
