import type Redis from 'ioredis';
import { startTestRedis, type TestRedis, type TestRedisOptions } from './test-redis.util';

export interface TestRedisFixture {
  /** The server of the enclosing describe block (set in its beforeAll). */
  readonly server: TestRedis;
  /** One client of that server, disconnected with it. */
  readonly redis: Redis;
}

/**
 * Registers beforeAll/afterAll in the calling describe block: one throwaway Redis (no AOF by
 * default: these suites never kill it) and one client, cleaned up after the block.
 */
export function useTestRedis(options: TestRedisOptions = { appendonly: false }): TestRedisFixture {
  let server: TestRedis | undefined;
  let redis: Redis | undefined;
  beforeAll(async () => {
    server = await startTestRedis(options);
    redis = server.client();
  });
  afterAll(() => server?.cleanup());
  return {
    get server(): TestRedis {
      if (!server) throw new Error('useTestRedis: the server starts in beforeAll; use it inside a test or hook');
      return server;
    },
    get redis(): Redis {
      if (!redis) throw new Error('useTestRedis: the client is created in beforeAll; use it inside a test or hook');
      return redis;
    },
  };
}
