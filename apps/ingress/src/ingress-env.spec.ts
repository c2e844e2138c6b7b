import { ConfigValidationError, DEV_KEY_ENCRYPTION_KEY, describeConfig, loadConfig } from '@peerfed/platform/config';
import { IngressEnv } from './ingress-env.dto';
import { ingressSettingsFrom } from './ingress-settings.util';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://localhost:6379' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(IngressEnv, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('IngressEnv', () => {
  it('uses the documented development key and allows loopback peers outside production', () => {
    const config = loadConfig(IngressEnv, { ...base, NODE_ENV: 'development' });
    expect(config.KEY_ENCRYPTION_KEY).toBe(DEV_KEY_ENCRYPTION_KEY);
    expect(config.ALLOW_LOOPBACK_PEERS).toBe(true);
    expect(config.PUBLIC_URL).toBe('http://localhost:3000');
    expect(JSON.stringify(describeConfig(config))).not.toContain(DEV_KEY_ENCRYPTION_KEY);
    expect(ingressSettingsFrom(config)).toMatchObject({ seedDemoData: true, publicUrl: 'http://localhost:3000', blockedDomains: [] });
  });

  it('requires KEY_ENCRYPTION_KEY in production and refuses loopback or http peers there', () => {
    expect(problems({ ...base, NODE_ENV: 'production' }).join('\n')).toMatch(/KEY_ENCRYPTION_KEY/);
    const key = 'x'.repeat(40);
    const config = loadConfig(IngressEnv, { ...base, NODE_ENV: 'production', KEY_ENCRYPTION_KEY: key });
    expect([config.ALLOW_LOOPBACK_PEERS, config.ALLOW_HTTP_PEERS]).toEqual([false, false]);
    expect(ingressSettingsFrom(config).seedDemoData).toBe(false);
    const refused = problems({ ...base, NODE_ENV: 'production', KEY_ENCRYPTION_KEY: key, ALLOW_LOOPBACK_PEERS: 'true' }).join('\n');
    expect(refused).toMatch(/ALLOW_LOOPBACK_PEERS.*must be false in production/);
  });

  it('rejects a short key and parses blocked domains', () => {
    expect(problems({ ...base, KEY_ENCRYPTION_KEY: 'short' }).join('\n')).toMatch(/KEY_ENCRYPTION_KEY.*32/);
    const config = loadConfig(IngressEnv, { ...base, NODE_ENV: 'test', BLOCKED_DOMAINS: 'Spam.example, bad.test' });
    expect(ingressSettingsFrom(config).blockedDomains).toEqual(['spam.example', 'bad.test']);
  });
});
