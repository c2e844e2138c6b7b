import { BaseEnv } from './base-env.dto';
import { describeConfig } from './describe-config.util';
import { Pattern } from './env-rules.util';
import { loadConfig } from './load-config.util';
import { maskUrlCredentials, Secret } from './mask.util';
import { redisEndpointOf } from './redis-endpoint.util';

class ParentEnv extends BaseEnv {
  @Secret()
  @Pattern(/./, 'must not be empty')
  API_TOKEN = 'token-value';
}

class ChildEnv extends ParentEnv {
  @Secret()
  @Pattern(/./, 'must not be empty')
  WEBHOOK_SECRET?: string;
}

describe('describeConfig', () => {
  it('masks @Secret() fields, including inherited ones, and URL passwords', () => {
    const config = loadConfig(ChildEnv, {
      DATABASE_URL: 'postgresql://svc:p%40ss@db:5432/peerfed',
      REDIS_URL: 'redis://:redispw@cache:6379/0',
      WEBHOOK_SECRET: 'whsec_123',
    });
    const described = describeConfig(config);
    expect(described).toMatchObject({
      API_TOKEN: '***',
      WEBHOOK_SECRET: '***',
      DATABASE_URL: 'postgresql://svc:***@db:5432/peerfed',
      REDIS_URL: 'redis://:***@cache:6379/0',
      PORT: 3000,
      NODE_ENV: 'development',
    });
    expect(JSON.stringify(described)).not.toMatch(/whsec_123|token-value|redispw|p%40ss/);
  });
});

describe('maskUrlCredentials', () => {
  it.each([
    ['postgres://user:pw@h/db', 'postgres://user:***@h/db'],
    ['redis://h:6379', 'redis://h:6379'],
    ['redis://user@h:6379', 'redis://user@h:6379'],
    ['not a url', 'not a url'],
  ])('%s -> %s', (input, expected) => {
    expect(maskUrlCredentials(input)).toBe(expected);
  });
});

describe('redisEndpointOf', () => {
  it('gives the URL, or the parsed cluster nodes when REDIS_CLUSTER_NODES is set', () => {
    expect(redisEndpointOf({ REDIS_URL: 'redis://cache:6379' })).toEqual({ url: 'redis://cache:6379' });
    expect(redisEndpointOf({ REDIS_URL: 'redis://cache:6379', REDIS_CLUSTER_NODES: ['r1:7000', '10.0.0.2:7001'] })).toEqual({
      cluster: [
        { host: 'r1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
    });
  });
});
