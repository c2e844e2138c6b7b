import { type BaseEnv, redisEndpointOf } from '@peerfed/platform/config';
import Redis, { Cluster, type RedisOptions } from 'ioredis';

export type RedisConnection = Redis | Cluster;

/**
 * A Redis (or Redis Cluster, when REDIS_CLUSTER_NODES is set) client from the service config.
 * Lazy: call connect(). Reconnects on its own with capped backoff.
 */
export function createRedisConnection(config: Pick<BaseEnv, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>, options: RedisOptions = {}): RedisConnection {
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    ...options,
  };
  const endpoint = redisEndpointOf(config);
  if (endpoint.cluster) {
    const offlineQueue = redisOptions.enableOfflineQueue === undefined ? {} : { enableOfflineQueue: redisOptions.enableOfflineQueue };
    return new Cluster([...endpoint.cluster], { lazyConnect: true, ...offlineQueue, redisOptions });
  }
  if (!endpoint.url) throw new Error('REDIS_URL or REDIS_CLUSTER_NODES must be set');
  return new Redis(endpoint.url, redisOptions);
}
