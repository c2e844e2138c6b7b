import { getFreePort } from '@peerfed/platform/servers';
import { join } from 'node:path';
import { ServiceSupervisor, type ServiceExit, type ServiceSpec } from './service-supervisor.service';

const FAKE = join(__dirname, '..', 'testing-fixtures', 'fake-service.cjs');

async function fake(name: string, env: Record<string, string> = {}): Promise<ServiceSpec> {
  const port = await getFreePort();
  return {
    name,
    command: process.execPath,
    args: [FAKE],
    cwd: __dirname,
    env: { PATH: process.env.PATH, PORT: String(port), ...env },
    readyUrl: `http://127.0.0.1:${port}/health/ready`,
  };
}

describe('ServiceSupervisor', () => {
  let lines: string[];
  let supervisor: ServiceSupervisor;
  let unexpected: ServiceExit[];

  beforeEach(() => {
    lines = [];
    unexpected = [];
    supervisor = new ServiceSupervisor({ output: (line) => lines.push(line), stopGraceMs: 400 });
    supervisor.on('unexpected-exit', (exit) => unexpected.push(exit));
  });

  afterEach(async () => {
    await supervisor.stop();
  });

  it('waits for readiness, prefixes output with the padded service name, and stops with SIGTERM', async () => {
    supervisor.start([await fake('a', { FAKE_READY_AFTER_MS: '300' }), await fake('longer')]);
    await supervisor.waitUntilReady(10_000, 50);
    expect(supervisor.status('a')).toBe('ready');
    expect(supervisor.status('longer')).toBe('ready');
    expect(lines).toContain('a      | listening');
    expect(lines).toContain('longer | a line on stderr');
    await supervisor.stop();
    expect(supervisor.status('a')).toBe('stopped');
    expect(lines).toContain('a      | SIGTERM received, closing');
    expect(unexpected).toEqual([]);
  });

  it('names the service that never got ready, with its last log lines', async () => {
    supervisor.start([await fake('fine'), await fake('stuck', { FAKE_MODE: 'never-ready' })]);
    const error = await supervisor.waitUntilReady(1_000, 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^Not ready after 1 s: stuck\./);
    expect(message).toMatch(/stuck: GET http:\/\/127\.0\.0\.1:\d+\/health\/ready answered 503/);
    expect(message).toContain('booting on port');
    expect(message).not.toContain('fine:');
  });

  it('fails the wait at once and reports a service that exits during start', async () => {
    supervisor.start([await fake('broken', { FAKE_MODE: 'exit-at-once' })]);
    const started = Date.now();
    await expect(supervisor.waitUntilReady(10_000, 50)).rejects.toThrow(/broken exited before it was ready[\s\S]*fatal: cannot boot/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(unexpected).toHaveLength(1);
    expect(unexpected[0]).toMatchObject({ name: 'broken', code: 3, signal: null });
    expect(unexpected[0]?.lastLines).toContain('fatal: cannot boot');
  });

  it('reports a service that dies after it was ready', async () => {
    supervisor.start([await fake('flaky', { FAKE_MODE: 'crash-after-ready' })]);
    await supervisor.waitUntilReady(10_000, 50);
    const exit = await new Promise<ServiceExit>((resolve) => supervisor.once('unexpected-exit', resolve));
    expect(exit).toMatchObject({ name: 'flaky', code: 7 });
    expect(exit.lastLines.at(-1)).toBe('boom');
    expect(supervisor.status('flaky')).toBe('exited');
  });

  it('kills a service that ignores SIGTERM after the grace period', async () => {
    supervisor.start([await fake('stubborn', { FAKE_MODE: 'ignore-sigterm' })]);
    await supervisor.waitUntilReady(10_000, 50);
    const started = Date.now();
    await supervisor.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(lines).toContain('stubborn | ignoring SIGTERM');
    expect(lines).toContain('stubborn did not stop within 0 s: killing it');
    expect(supervisor.status('stubborn')).toBe('stopped');
    expect(unexpected).toEqual([]);
  });
});
