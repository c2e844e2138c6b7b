import { RedisClusterProcess, type ClusterNodeAddress } from '@peerfed/platform/servers';
import { Cluster, type ClusterOptions } from 'ioredis';
import { retryOnPortClash } from './port-retry.util';
import { withTempDir } from './temp-dir.util';
import { TempServerHandle } from './temp-server-handle.util';

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
  return withTempDir('redis-cluster', async (dir) => {
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
  });
}

class TestRedisClusterHandle extends TempServerHandle<RedisClusterProcess> implements TestRedisCluster {
  get nodes(): ClusterNodeAddress[] {
    return this.server.nodes;
  }

  client(options: ClusterOptions = {}): Cluster {
    // See TestRedis.client(): keep ioredis' disconnect timer short.
    return this.track(new Cluster(this.nodes, { ...options, redisOptions: { disconnectTimeout: 200, ...options.redisOptions } }));
  }
}
