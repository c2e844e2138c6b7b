import { ConfigValidationError } from './config-validation.exception';
import { describeConfig } from './describe-config.util';
import { DevelopmentOnlyFlag } from './env-rules.util';
import { DEV_KEY_ENCRYPTION_KEY, FederationEnv } from './federation-env.dto';
import { loadConfig } from './load-config.util';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://localhost:6379' };

class WithExtraFlag extends FederationEnv {
  @DevelopmentOnlyFlag()
  ALLOW_EXTRA!: boolean;
}

function problems(env: Record<string, string>): string {
  try {
    loadConfig(WithExtraFlag, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
  return '';
}

describe('FederationEnv', () => {
  it('defaults to the development key and loose peers outside production, key masked', () => {
    const config = loadConfig(WithExtraFlag, { ...base, NODE_ENV: 'test' });
    expect(config.PUBLIC_URL).toBe('http://localhost:3000');
    expect(config.KEY_ENCRYPTION_KEY).toBe(DEV_KEY_ENCRYPTION_KEY);
    expect([config.ALLOW_LOOPBACK_PEERS, config.ALLOW_EXTRA]).toEqual([true, true]);
    expect(JSON.stringify(describeConfig(config))).not.toContain(DEV_KEY_ENCRYPTION_KEY);
  });

  it('parses flags given outside production', () => {
    const config = loadConfig(WithExtraFlag, { ...base, ALLOW_LOOPBACK_PEERS: 'off', ALLOW_EXTRA: 'no' });
    expect([config.ALLOW_LOOPBACK_PEERS, config.ALLOW_EXTRA]).toEqual([false, false]);
  });

  it('requires a key in production and refuses development-only flags there', () => {
    expect(problems({ ...base, NODE_ENV: 'production' })).toMatch(/KEY_ENCRYPTION_KEY/);
    const key = 'k'.repeat(32);
    const config = loadConfig(WithExtraFlag, { ...base, NODE_ENV: 'production', KEY_ENCRYPTION_KEY: key });
    expect([config.ALLOW_LOOPBACK_PEERS, config.ALLOW_EXTRA]).toEqual([false, false]);
    const refused = problems({ ...base, NODE_ENV: 'production', KEY_ENCRYPTION_KEY: key, ALLOW_LOOPBACK_PEERS: 'true', ALLOW_EXTRA: 'yes' });
    expect(refused).toMatch(/ALLOW_LOOPBACK_PEERS must be false in production/);
    expect(refused).toMatch(/ALLOW_EXTRA must be false in production/);
  });

  it('rejects a short key and a non-http public URL', () => {
    const refused = problems({ ...base, KEY_ENCRYPTION_KEY: 'short', PUBLIC_URL: 'ftp://example.test' });
    expect(refused).toMatch(/KEY_ENCRYPTION_KEY must be at least 32 characters/);
    expect(refused).toMatch(/PUBLIC_URL must be a http:\/\/ or https:\/\/ URL/);
  });
});
