import { getFreePort, startTestPostgres, startTestRedis, type TestPostgres, type TestRedis, waitFor } from '@peerfed/platform/testing';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

// The BUILT service, as containers run it: `node dist/apps/wallet/main.js`. This is where the
// process-level behaviour is proven once: exit codes, the fatal config line, real signals.
const WORKSPACE = join(__dirname, '..', '..', '..');
const MAIN = join(WORKSPACE, 'dist', 'apps', 'wallet', 'main.js');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [MAIN], { cwd: WORKSPACE, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('built wallet service (node dist/apps/wallet/main.js)', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  const running: Run[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, [join(WORKSPACE, 'tools', 'build', 'build-app.mjs'), 'apps/wallet'], { cwd: WORKSPACE, stdio: 'pipe' });
    [pg, redis] = await Promise.all([startTestPostgres(), startTestRedis({ appendonly: false })]);
  }, 120_000);

  afterAll(async () => {
    for (const { child } of running) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([redis?.cleanup(), pg?.cleanup()]);
  });

  it('refuses a bad configuration with one fatal line naming the variables, and exit code 1', async () => {
    const started = run({ PORT: 'abc', DATABASE_URL: 'nope', REDIS_URL: redis.url });
    running.push(started);
    expect(await started.exited).toBe(1);
    const lines = jsonLines(started.stdout());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'fatal', service: 'wallet', context: 'Bootstrap' });
    expect(lines[0]?.['msg']).toBe(
      'Invalid configuration: PORT must be an integer between 0 and 65535 (got "abc"); DATABASE_URL must be a postgres:// or postgresql:// URL (got "nope")',
    );
    expect(lines[0]).not.toHaveProperty('err');
    expect(started.stderr()).not.toMatch(/\n\s+at /);
  });

  it('starts, and on SIGTERM answers 503 on readiness first, then closes and exits 0', async () => {
    const port = await getFreePort();
    const url = `http://127.0.0.1:${port}`;
    const started = run({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      SHUTDOWN_GRACE_MS: '1500',
      DATABASE_URL: await pg.createDatabase('wallet_built'),
      REDIS_URL: redis.url,
    });
    running.push(started);
    await waitFor(async () => (await fetch(`${url}/health/ready`)).status === 200, {
      timeoutMs: 30_000,
      description: 'the built wallet service to become ready',
      abortWhen: () => (started.child.exitCode === null ? undefined : new Error(`exited early:\n${started.stdout()}${started.stderr()}`)),
    });

    started.child.kill('SIGTERM');
    await waitFor(async () => (await fetch(`${url}/health/ready`)).status === 503, { timeoutMs: 1000, description: 'readiness 503 after SIGTERM' });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);

    expect(await started.exited).toBe(0);
    const messages = jsonLines(started.stdout()).map((line) => line['msg']);
    expect(messages).toContain('SIGTERM received: readiness is 503, closing in 1500 ms');
    expect(messages.at(-1)).toBe('closed');
  });
});
