import { type BaseEnv } from './base-env.dto';

/** Where Redis is: one node (url) or the seed nodes of a cluster; the shape Redis clients take. */
export interface RedisEndpoint {
  readonly url?: string;
  readonly cluster?: ReadonlyArray<{ readonly host: string; readonly port: number }>;
}

/** REDIS_CLUSTER_NODES wins over REDIS_URL (loadConfig guarantees one of them is set). */
export function redisEndpointOf(config: Pick<BaseEnv, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>): RedisEndpoint {
  if (config.REDIS_CLUSTER_NODES) {
    return {
      cluster: config.REDIS_CLUSTER_NODES.map((node) => {
        const colon = node.lastIndexOf(':');
        return { host: node.slice(0, colon), port: Number(node.slice(colon + 1)) };
      }),
    };
  }
  return { url: config.REDIS_URL };
}
