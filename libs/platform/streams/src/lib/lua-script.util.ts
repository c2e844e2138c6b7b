import { createHash } from 'node:crypto';
import { type Cluster, type Redis } from 'ioredis';

export type RedisConnection = Redis | Cluster;

/**
 * A Lua script run by SHA, loaded on demand: EVALSHA first and EVAL when the node answers
 * NOSCRIPT (a restarted server, a FLUSH of the script cache, another cluster node).
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly numberOfKeys: number,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisConnection, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    if (keys.length !== this.numberOfKeys) throw new Error(`Script ${this.name} takes ${this.numberOfKeys} keys, got ${keys.length}`);
    try {
      return await redis.evalsha(this.sha, this.numberOfKeys, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, this.numberOfKeys, ...keys, ...args);
    }
  }
}
