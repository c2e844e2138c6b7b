import { RedisServerProcess, type RedisServerOptions } from '@peerfed/platform/servers';
import Redis, { type RedisOptions } from 'ioredis';
import { join } from 'node:path';
import { startOnFreePort } from './port-retry.util';
import { RestartableServerHandle } from './restartable-server-handle.util';
import { withTempDir } from './temp-dir.util';

export interface TestRedisOptions {
  /** default true */
  appendonly?: boolean;
  /** default 'everysec'; use 'always' when a test kills the server and expects acknowledged writes back. */
  appendfsync?: RedisServerOptions['appendfsync'];
  extraArgs?: readonly string[];
}

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The data dir (AOF, redis.log). */
  readonly dir: string;
  /** A new ioredis client for this server; disconnected by cleanup(). */
  client(options?: RedisOptions): Redis;
  stop(): Promise<void>;
  /** kill -9 */
  kill(): Promise<void>;
  /** Start again (after stop or kill, or stop first) on the same port and dir. */
  restart(): Promise<void>;
  /** Disconnects clients, stops the server, removes its temp dir. Idempotent. */
  cleanup(): Promise<void>;
}

/** A throwaway redis-server on a free loopback port, AOF on, data in a temp dir. */
export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  return withTempDir('redis', async (dir) => {
    const server = await startOnFreePort(
      (port) =>
        new RedisServerProcess({
          port,
          dir: join(dir, 'data'),
          appendonly: options.appendonly ?? true,
          appendfsync: options.appendfsync,
          extraArgs: options.extraArgs,
        }),
    );
    return new TestRedisHandle(server, dir);
  });
}

class TestRedisHandle extends RestartableServerHandle<RedisServerProcess> implements TestRedis {
  get url(): string {
    return this.server.url;
  }

  get dir(): string {
    return this.server.dir;
  }

  client(options: RedisOptions = {}): Redis {
    // ioredis leaves a disconnectTimeout timer behind when a client that lost its connection is
    // disconnected (2 s by default): long enough for Jest to warn about an open handle.
    return this.track(new Redis({ host: this.host, port: this.port, disconnectTimeout: 200, ...options }));
  }
}
