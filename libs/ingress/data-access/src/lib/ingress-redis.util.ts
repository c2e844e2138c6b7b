import { type BaseEnv, redisEndpointOf } from '@peerfed/platform/config';
import { Cluster, Redis } from 'ioredis';

export type IngressRedis = Redis | Cluster;

/** Injection token of the service's shared Redis connection (caches, dedupe, rate limits, XADD). */
export const INGRESS_REDIS = Symbol('INGRESS_REDIS');

/**
 * The shared command connection. No offline queue and a short command timeout: while Redis is
 * away, cache and rate-limit calls fail at once (and the callers fail open) instead of queueing.
 */
export function createIngressRedis(config: Pick<BaseEnv, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>): IngressRedis {
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    connectionName: 'ingress',
    // Concurrent requests' commands (key lookups, dedupe) share one socket write.
    enableAutoPipelining: true,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
  };
  const endpoint = redisEndpointOf(config);
  if (endpoint.cluster) {
    return new Cluster([...endpoint.cluster], { lazyConnect: true, enableOfflineQueue: false, enableAutoPipelining: true, redisOptions: options });
  }
  if (!endpoint.url) throw new Error('REDIS_URL or REDIS_CLUSTER_NODES must be set');
  return new Redis(endpoint.url, options);
}
