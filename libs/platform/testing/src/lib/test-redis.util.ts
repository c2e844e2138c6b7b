import { getFreePort, RedisServerProcess, type RedisServerOptions } from '@peerfed/platform/servers';
import Redis, { type RedisOptions } from 'ioredis';
import { join } from 'node:path';
import { registerCleanup } from './cleanup-registry.util';
import { retryOnPortClash } from './port-retry.util';
import { makeTempDir, removeDir } from './temp-dir.util';

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
  const dir = makeTempDir('redis');
  try {
    const server = await retryOnPortClash(async () => {
      const candidate = new RedisServerProcess({
        port: await getFreePort(),
        dir: join(dir, 'data'),
        appendonly: options.appendonly ?? true,
        appendfsync: options.appendfsync,
        extraArgs: options.extraArgs,
      });
      await candidate.start();
      return candidate;
    });
    return new TestRedisHandle(server, dir);
  } catch (error) {
    removeDir(dir);
    throw error;
  }
}

class TestRedisHandle implements TestRedis {
  private readonly clients = new Set<Redis>();
  private cleaned: Promise<void> | undefined;
  private readonly unregister: () => void;

  constructor(
    private readonly server: RedisServerProcess,
    private readonly tempDir: string,
  ) {
    this.unregister = registerCleanup(() => this.cleanup());
  }

  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
  }

  get host(): string {
    return this.server.host;
  }

  get dir(): string {
    return this.server.dir;
  }

  client(options: RedisOptions = {}): Redis {
    // ioredis leaves a disconnectTimeout timer behind when a client that lost its connection is
    // disconnected (2 s by default): long enough for Jest to warn about an open handle.
    const client = new Redis({ host: this.host, port: this.port, disconnectTimeout: 200, ...options });
    this.clients.add(client);
    client.once('end', () => this.clients.delete(client));
    return client;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  kill(): Promise<void> {
    return this.server.kill();
  }

  restart(): Promise<void> {
    return this.server.restart();
  }

  cleanup(): Promise<void> {
    this.cleaned ??= (async () => {
      this.unregister();
      for (const client of this.clients) client.disconnect();
      this.clients.clear();
      try {
        await this.server.stop();
      } finally {
        removeDir(this.tempDir);
      }
    })();
    return this.cleaned;
  }
}
