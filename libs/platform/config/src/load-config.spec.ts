import { BaseEnv } from './base-env.dto';
import { ConfigValidationError } from './config-validation.exception';
import { HostList, IntInRange, Pattern } from './env-rules.util';
import { loadConfig } from './load-config.util';
import { Secret } from './mask.util';

const VALID = { DATABASE_URL: 'postgres://app:pw@localhost:5432/peerfed', REDIS_URL: 'redis://localhost:6379' };

class ExampleEnv extends BaseEnv {
  override PORT = 3003;

  @Secret()
  @Pattern(/^.{16,}$/, 'must be at least 16 characters')
  SIGNING_KEY = 'default-signing-key-0000';

  @IntInRange(1, 10)
  RETRIES = 3;

  @HostList()
  PEER_HOSTS: readonly string[] = [];
}

function configError(env: Record<string, string | undefined>): ConfigValidationError {
  try {
    loadConfig(ExampleEnv, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('applies defaults and converts types', () => {
    const config = loadConfig(ExampleEnv, { ...VALID, MAX_BATCH_SIZE: '25', MIGRATIONS_RUN: 'false' });
    expect(config).toBeInstanceOf(ExampleEnv);
    expect(config.NODE_ENV).toBe('development');
    expect(config.PORT).toBe(3003);
    expect(config.MAX_BATCH_SIZE).toBe(25);
    expect(config.MIGRATIONS_RUN).toBe(false);
    expect(config.DATABASE_POOL_SIZE).toBe(10);
    expect(config.RETRIES).toBe(3);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('reads only declared variables and freezes the result', () => {
    const config = loadConfig(ExampleEnv, { ...VALID, PATH: '/usr/bin', PORT: '0' });
    expect(config).not.toHaveProperty('PATH');
    expect(config.PORT).toBe(0);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['production', 5000],
    ['test', 0],
    ['development', 0],
  ])('defaults SHUTDOWN_GRACE_MS by NODE_ENV=%s', (nodeEnv, grace) => {
    expect(loadConfig(ExampleEnv, { ...VALID, NODE_ENV: nodeEnv }).SHUTDOWN_GRACE_MS).toBe(grace);
  });

  it('keeps an explicit SHUTDOWN_GRACE_MS', () => {
    expect(loadConfig(ExampleEnv, { ...VALID, NODE_ENV: 'production', SHUTDOWN_GRACE_MS: '250' }).SHUTDOWN_GRACE_MS).toBe(250);
  });

  it('parses boolean words and rejects others', () => {
    expect(loadConfig(ExampleEnv, { ...VALID, MIGRATIONS_RUN: 'yes' }).MIGRATIONS_RUN).toBe(true);
    expect(loadConfig(ExampleEnv, { ...VALID, MIGRATIONS_RUN: '0' }).MIGRATIONS_RUN).toBe(false);
    expect(configError({ ...VALID, MIGRATIONS_RUN: 'maybe' }).message).toContain('MIGRATIONS_RUN must be true or false (got "maybe")');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(ExampleEnv, { ...VALID, PORT: '' }).PORT).toBe(3003);
    expect(configError({ ...VALID, DATABASE_URL: '' }).message).toBe('Invalid configuration: DATABASE_URL is required');
  });

  it('names every bad variable with its reason and value in one error', () => {
    const error = configError({
      DATABASE_URL: 'nope',
      REDIS_URL: 'http://localhost:6379',
      PORT: 'abc',
      NODE_ENV: 'staging',
      MAX_BATCH_SIZE: '0',
      RETRIES: '2.5',
    });
    expect(error.problems.map((p) => p.variable).sort()).toEqual(
      ['DATABASE_URL', 'MAX_BATCH_SIZE', 'NODE_ENV', 'PORT', 'REDIS_URL', 'RETRIES'].sort(),
    );
    expect(error.message).toMatch(/^Invalid configuration: /);
    expect(error.message).toContain('PORT must be an integer between 0 and 65535 (got "abc")');
    expect(error.message).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL (got "nope")');
    expect(error.message).toContain('REDIS_URL must be a redis:// or rediss:// URL (got "http://localhost:6379")');
    expect(error.message).toContain('NODE_ENV must be one of development, test, production (got "staging")');
    expect(error.message).toContain('MAX_BATCH_SIZE must be an integer between 1 and 1000 (got "0")');
    expect(error.message).toContain('RETRIES must be an integer between 1 and 10 (got "2.5")');
  });

  it('reports missing required variables', () => {
    const error = configError({});
    expect(error.problems).toEqual([
      { variable: 'DATABASE_URL', reason: 'is required' },
      { variable: 'REDIS_URL', reason: 'is required unless REDIS_CLUSTER_NODES is set' },
    ]);
  });

  it('accepts Redis cluster nodes instead of REDIS_URL', () => {
    const config = loadConfig(ExampleEnv, { DATABASE_URL: VALID.DATABASE_URL, REDIS_CLUSTER_NODES: 'r1:7000, r2:7001' });
    expect(config.REDIS_CLUSTER_NODES).toEqual(['r1:7000', 'r2:7001']);
    expect(config.REDIS_URL).toBeUndefined();
    expect(configError({ DATABASE_URL: VALID.DATABASE_URL, REDIS_CLUSTER_NODES: 'r1:7000,r2' }).message).toContain(
      'REDIS_CLUSTER_NODES must be a comma-separated list of host:port (got "r1:7000,r2")',
    );
  });

  it('reads a host list: trimmed, lowercase, empty entries dropped; a bad name is named', () => {
    expect(loadConfig(ExampleEnv, VALID).PEER_HOSTS).toEqual([]);
    expect(loadConfig(ExampleEnv, { ...VALID, PEER_HOSTS: ' Social.Example , ,fedi.test:8443' }).PEER_HOSTS).toEqual(['social.example', 'fedi.test:8443']);
    expect(configError({ ...VALID, PEER_HOSTS: 'ok.example,https://bad.example' }).message).toContain(
      'PEER_HOSTS must be a comma-separated list of host names (host or host:port)',
    );
  });

  it('masks secrets and URL passwords in error messages', () => {
    const error = configError({
      ...VALID,
      SIGNING_KEY: 'short-secret',
      DATABASE_URL: 'mysql://app:hunter2@db:3306/x',
    });
    expect(error.message).toContain('SIGNING_KEY must be at least 16 characters (got "***")');
    expect(error.message).toContain('(got "mysql://app:***@db:3306/x")');
    expect(error.message).not.toContain('short-secret');
    expect(error.message).not.toContain('hunter2');
  });
});
