import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServiceSpecs, LOCAL_SERVICES, serviceEntryPoints } from './local-services.util';

describe('local services', () => {
  let repo: string;

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'peerfed-local-'));
  });

  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  function build(...names: string[]): void {
    for (const name of names) {
      mkdirSync(join(repo, 'dist', 'apps', name), { recursive: true });
      writeFileSync(join(repo, 'dist', 'apps', name, 'main.js'), '');
    }
  }

  it('names the services that are not built and the command that builds them', () => {
    build('ingress', 'wallet', 'challenges');
    expect(() => serviceEntryPoints(repo)).toThrow(/Not built: delivery, monitor[\s\S]*npx nx run-many -t build -p delivery monitor/);
  });

  it('runs each service with node, its port and the stack URLs, on top of the parent env', () => {
    build(...LOCAL_SERVICES.map((s) => s.name));
    const specs = buildServiceSpecs(
      { repoRoot: repo, publicUrl: 'http://localhost:3000', parentEnv: { HOME: '/home/me', PORT: '1', NODE_ENV: 'production' } },
      { databaseUrl: 'postgres://postgres@127.0.0.1:55432/peerfed', redisUrl: 'redis://127.0.0.1:56379' },
      serviceEntryPoints(repo),
    );
    expect(specs.map((s) => [s.name, s.port])).toEqual([
      ['ingress', 3000],
      ['delivery', 3001],
      ['monitor', 3002],
      ['wallet', 3003],
      ['challenges', 3004],
    ]);
    const wallet = specs[3];
    expect(wallet?.command).toBe(process.execPath);
    expect(wallet?.args).toEqual([join(repo, 'dist', 'apps', 'wallet', 'main.js')]);
    expect(wallet?.env).toEqual({
      HOME: '/home/me',
      PORT: '3003',
      NODE_ENV: 'development',
      PUBLIC_URL: 'http://localhost:3000',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:55432/peerfed',
      REDIS_URL: 'redis://127.0.0.1:56379',
    });
    expect(wallet?.readyUrl).toBe('http://127.0.0.1:3003/health/ready');
    expect(wallet?.healthUrl).toBe('http://localhost:3003/health/ready');
  });
});
