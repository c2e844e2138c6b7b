import { RedisClusterProcess, type ClusterNodeAddress } from '@peerfed/platform/servers';
import { Cluster, type ClusterOptions } from 'ioredis';
import { registerCleanup } from './cleanup-registry.util';
import { retryOnPortClash } from './port-retry.util';
import { makeTempDir, removeDir } from './temp-dir.util';

export interface TestRedisClusterOptions {
  /** default 3 */
  masters?: number;
}

export interface TestRedisCluster {
  /** Seed nodes (127.0.0.1 and the client ports). */
  readonly nodes: ClusterNodeAddress[];
  /** The underlying processes, e.g. `cluster.server.killNode(1)`. */
  readonly server: RedisClusterProcess;
  /** A new ioredis Cluster client; disconnected by cleanup(). */
  client(options?: ClusterOptions): Cluster;
  stop(): Promise<void>;
  /** Stops all nodes and removes the temp dir. Idempotent. */
  cleanup(): Promise<void>;
}

/** A throwaway Redis Cluster (3 masters, no replicas) on free loopback ports. */
export async function startTestRedisCluster(options: TestRedisClusterOptions = {}): Promise<TestRedisCluster> {
  const dir = makeTempDir('redis-cluster');
  try {
    const cluster = await retryOnPortClash(async () => {
      const candidate = new RedisClusterProcess({ baseDir: dir, masters: options.masters ?? 3 });
      try {
        await candidate.start();
      } catch (error) {
        await candidate.kill();
        throw error;
      }
      return candidate;
    });
    return new TestRedisClusterHandle(cluster, dir);
  } catch (error) {
    removeDir(dir);
    throw error;
  }
}

class TestRedisClusterHandle implements TestRedisCluster {
  private readonly clients = new Set<Cluster>();
  private cleaned: Promise<void> | undefined;
  private readonly unregister: () => void;

  constructor(
    readonly server: RedisClusterProcess,
    private readonly tempDir: string,
  ) {
    this.unregister = registerCleanup(() => this.cleanup());
  }

  get nodes(): ClusterNodeAddress[] {
    return this.server.nodes;
  }

  client(options: ClusterOptions = {}): Cluster {
    // See TestRedis.client(): keep ioredis' disconnect timer short.
    const client = new Cluster(this.nodes, { ...options, redisOptions: { disconnectTimeout: 200, ...options.redisOptions } });
    this.clients.add(client);
    client.once('end', () => this.clients.delete(client));
    return client;
  }

  stop(): Promise<void> {
    return this.server.stop();
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
