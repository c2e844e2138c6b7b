import { getFreePort, isPortFree, waitFor } from '@peerfed/platform/servers';
import { once } from 'node:events';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { readLocalConfig, type LocalStackConfig } from './local-config.util';
import { type LocalServiceSpec } from './local-services.util';
import { LocalStack } from './local-stack.service';

const FAKE = join(__dirname, '..', 'testing-fixtures', 'fake-service.cjs');

/** Two fake services instead of the real apps, on free ports. */
async function fakeServices(modes: Record<string, string>): Promise<(urls: { databaseUrl: string; redisUrl: string }) => LocalServiceSpec[]> {
  const ports = new Map<string, number>();
  for (const name of Object.keys(modes)) ports.set(name, await getFreePort());
  return (urls) =>
    Object.entries(modes).map(([name, mode]) => {
      const port = ports.get(name) ?? 0;
      return {
        name,
        port,
        command: process.execPath,
        args: [FAKE],
        cwd: __dirname,
        env: { PATH: process.env.PATH, PORT: String(port), FAKE_MODE: mode, DATABASE_URL: urls.databaseUrl },
        url: `http://localhost:${port}`,
        healthUrl: `http://localhost:${port}/health/ready`,
        readyUrl: `http://127.0.0.1:${port}/health/ready`,
      };
    });
}

describe('LocalStack (real Postgres and Redis, fake services)', () => {
  let repo: string;
  let config: LocalStackConfig;
  let lines: string[];

  beforeEach(async () => {
    repo = mkdtempSync(join(tmpdir(), 'peerfed-local-stack-'));
    chmodSync(repo, 0o755);
    const env = { PEERFED_LOCAL_PG_PORT: String(await getFreePort()), PEERFED_LOCAL_REDIS_PORT: String(await getFreePort()) };
    config = readLocalConfig(env, repo);
    lines = [];
  });

  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  function stack(services: Awaited<ReturnType<typeof fakeServices>>): LocalStack {
    return new LocalStack({ config, services, out: (line) => lines.push(line), readyTimeoutMs: 20_000, stopGraceMs: 2_000 });
  }

  async function untilReady(): Promise<void> {
    await waitFor(() => lines.some((l) => l.includes('all services are ready')), { timeoutMs: 30_000, description: 'the ready summary' });
  }

  it('starts databases and services, prints the table, stops on request; a second run reuses .data', async () => {
    const first = stack(await fakeServices({ alpha: 'ok', beta: 'ok' }));
    const running = first.run();
    await untilReady();
    const output = lines.join('\n');
    expect(output).toMatch(/service\s+URL\s+health\s+status/);
    expect(output).toMatch(/alpha\s+http:\/\/localhost:\d+\s+http:\/\/localhost:\d+\/health\/ready\s+ready/);
    expect(output).toContain(`Postgres  postgres://postgres@127.0.0.1:${config.pgPort}/peerfed  (started by npm start, new data dir .data/postgres)`);
    expect(output).toContain(`Redis     redis://127.0.0.1:${config.redisPort}  (started by npm start, data .data/redis)`);
    expect(lines).toContain('alpha | booting on port ' + /alpha\s+http:\/\/localhost:(\d+)/.exec(output)?.[1] + ' in mode ok');

    const pg = new Client({ connectionString: `postgres://postgres@127.0.0.1:${config.pgPort}/peerfed` });
    await pg.connect();
    await pg.query('CREATE TABLE kept (v text)');
    await pg.query("INSERT INTO kept VALUES ('from run 1')");
    await pg.end();
    const redis = new Redis(config.redisPort, '127.0.0.1');
    await redis.set('kept', 'from run 1');
    redis.disconnect();

    first.requestStop(0);
    expect(await running).toBe(0);
    expect(lines).toContain('alpha | SIGTERM received, closing');
    expect(await isPortFree(config.pgPort)).toBe(true);
    expect(await isPortFree(config.redisPort)).toBe(true);

    lines = [];
    const second = stack(await fakeServices({ alpha: 'ok' }));
    const again = second.run();
    await untilReady();
    expect(lines.join('\n')).toContain('reused data dir .data/postgres');
    const pg2 = new Client({ connectionString: `postgres://postgres@127.0.0.1:${config.pgPort}/peerfed` });
    await pg2.connect();
    expect((await pg2.query('SELECT v FROM kept')).rows).toEqual([{ v: 'from run 1' }]);
    await pg2.end();
    const redis2 = new Redis(config.redisPort, '127.0.0.1');
    expect(await redis2.get('kept')).toBe('from run 1');
    redis2.disconnect();
    second.requestStop(0);
    expect(await again).toBe(0);
  });

  it('shuts everything down with exit code 1 when a service dies', async () => {
    const result = await stack(await fakeServices({ steady: 'ok', flaky: 'crash-after-ready' })).run();
    expect(result).toBe(1);
    const output = lines.join('\n');
    expect(output).toMatch(/flaky exited unexpectedly \(code 7\); shutting everything down\. Last log lines:\n[\s\S]*boom/);
    expect(lines).toContain('steady | SIGTERM received, closing');
    expect(await isPortFree(config.pgPort)).toBe(true);
    expect(await isPortFree(config.redisPort)).toBe(true);
  });

  it('fails with a message naming the variable when the Postgres port is taken, and leaves nothing running', async () => {
    const blocker = createServer().listen(config.pgPort, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const result = await stack(await fakeServices({ alpha: 'ok' })).run();
      expect(result).toBe(1);
      expect(lines.join('\n')).toContain(
        `Cannot start Postgres: port ${config.pgPort} on 127.0.0.1 is already in use: it is used by another program; set PEERFED_LOCAL_PG_PORT to a free port (or DATABASE_URL to use your own Postgres).`,
      );
      expect(await isPortFree(config.redisPort)).toBe(true);
    } finally {
      blocker.close();
    }
  });
});
