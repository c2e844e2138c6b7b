import { join } from 'node:path';
import { findRepoRoot, readLocalConfig } from './local-config.util';

describe('readLocalConfig', () => {
  it('uses the documented defaults', () => {
    const config = readLocalConfig({}, '/repo');
    expect(config).toMatchObject({
      repoRoot: '/repo',
      databaseUrl: undefined,
      redisUrl: undefined,
      pgPort: 55432,
      redisPort: 56379,
      publicUrl: 'http://localhost:3000',
    });
  });

  it('takes URLs and ports from the environment', () => {
    const config = readLocalConfig(
      {
        DATABASE_URL: 'postgres://u:p@db/x',
        REDIS_URL: 'redis://cache:6380',
        PEERFED_LOCAL_PG_PORT: '6000',
        PEERFED_LOCAL_REDIS_PORT: '6001',
        PUBLIC_URL: 'https://peerfed.example',
      },
      '/repo',
    );
    expect(config).toMatchObject({ databaseUrl: 'postgres://u:p@db/x', redisUrl: 'redis://cache:6380', pgPort: 6000, redisPort: 6001 });
    expect(config.publicUrl).toBe('https://peerfed.example');
  });

  it('lists every bad variable in one error', () => {
    expect(() =>
      readLocalConfig({ PEERFED_LOCAL_PG_PORT: '70000', PEERFED_LOCAL_REDIS_PORT: 'abc', DATABASE_URL: 'mysql://x', REDIS_URL: 'nope' }, '/r'),
    ).toThrow(
      [
        'Invalid environment:',
        '  - DATABASE_URL must be a URL starting with postgres:// or postgresql://',
        '  - REDIS_URL must be a URL starting with redis:// or rediss://',
        '  - PEERFED_LOCAL_PG_PORT must be a TCP port (1-65535), got "70000"',
        '  - PEERFED_LOCAL_REDIS_PORT must be a TCP port (1-65535), got "abc"',
      ].join('\n'),
    );
  });
});

describe('findRepoRoot', () => {
  it('finds the directory holding nx.json above a nested path', () => {
    const root = findRepoRoot(__dirname);
    expect(root).toBe(join(__dirname, '..', '..', '..', '..'));
  });

  it('fails clearly outside a workspace', () => {
    expect(() => findRepoRoot('/proc/self')).toThrow(/Could not find the repository root/);
  });
});
