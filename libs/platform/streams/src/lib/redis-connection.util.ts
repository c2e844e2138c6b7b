import { type ClusterOptions, type RedisOptions, Cluster, Redis } from 'ioredis';
import { backoffDelay } from './backoff.util';
import { type RedisConnection } from './lua-script.util';

export interface RedisStreamsConnectionOptions {
  /** One Redis node: `redis://[user:password@]host:port[/db]`. Exactly one of url / cluster. */
  url?: string;
  /** Seed nodes of a Redis Cluster. */
  cluster?: ReadonlyArray<{ host: string; port: number }>;
  /** Passed to ioredis (to every node of a cluster). Retry and connect timing are the transport's. */
  redisOptions?: Omit<RedisOptions, 'retryStrategy' | 'lazyConnect' | 'host' | 'port' | 'path' | 'enableOfflineQueue'>;
  /** Passed to the ioredis Cluster client. */
  clusterOptions?: Omit<ClusterOptions, 'redisOptions' | 'clusterRetryStrategy' | 'lazyConnect'>;
  /** Reconnection attempts after a lost connection before giving up; unlimited by default. */
  retryAttempts?: number;
  /** First reconnection delay (default 100 ms); doubles per attempt, with jitter. */
  retryDelayMs?: number;
  /** Upper bound of a reconnection delay (default 5000 ms). */
  maxRetryDelayMs?: number;
  /** A command without an answer for this long fails (default 10 s; blocking reads get their
   *  block time on top): a half-open connection must not stall a read loop or an ack forever. */
  commandTimeoutMs?: number;
}

export interface ConnectionRole {
  /** Shown in CLIENT LIST (connectionName). */
  name: string;
  /** Blocking readers get no auto-pipelining: a blocked connection would hold the batch. */
  blocking: boolean;
  /** A manual close ends reconnection at once (Nest's redis transport does the same). */
  isClosed: () => boolean;
  onGiveUp?: (attempts: number) => void;
}

/** Checks the connection part of transport options; throws one error naming what is wrong. */
export function assertConnectionOptions(options: RedisStreamsConnectionOptions): void {
  const hasUrl = typeof options.url === 'string' && options.url.length > 0;
  const hasCluster = Array.isArray(options.cluster) && options.cluster.length > 0;
  if (hasUrl === hasCluster) {
    throw new Error('Redis streams: give exactly one of `url` (one node) or `cluster` (seed nodes)');
  }
  if (hasUrl && !/^rediss?:\/\//.test(options.url ?? '')) {
    throw new Error(`Redis streams: url must start with redis:// or rediss://, got "${options.url}"`);
  }
  for (const node of options.cluster ?? []) {
    if (typeof node.host !== 'string' || !Number.isInteger(node.port) || node.port < 1 || node.port > 65535) {
      throw new Error(`Redis streams: bad cluster node ${JSON.stringify(node)}`);
    }
  }
}

/** Options for a connection whose commands may block for `blockMs` (its command timeout grows by that). */
export function withBlockTime<T extends RedisStreamsConnectionOptions>(options: T, blockMs: number): T {
  const base = options.commandTimeoutMs ?? 10_000;
  if (!Number.isInteger(base) || base < 1) throw new Error(`Redis streams option commandTimeoutMs must be an integer >= 1, got ${base}`);
  return { ...options, commandTimeoutMs: base + blockMs };
}

/** The reconnection delay for attempt `times`, or null to stop (closed, or attempts used up). */
export function reconnectDelay(options: RedisStreamsConnectionOptions, role: ConnectionRole, times: number): number | null {
  if (role.isClosed()) return null;
  if (times > (options.retryAttempts ?? Number.POSITIVE_INFINITY)) {
    role.onGiveUp?.(times - 1);
    return null;
  }
  return backoffDelay(times, { baseMs: options.retryDelayMs ?? 100, maxMs: options.maxRetryDelayMs ?? 5000 });
}

/**
 * A lazily connecting ioredis client (one node or a cluster) for one role. Commands fail after one
 * reconnection attempt instead of queueing for long: the read loops retry with their own backoff,
 * and a producer learns about an outage instead of hanging.
 */
export function createRedisConnection(options: RedisStreamsConnectionOptions, role: ConnectionRole): RedisConnection {
  assertConnectionOptions(options);
  const retry = (times: number): number | null => reconnectDelay(options, role, times);
  const common: RedisOptions = {
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 10_000,
    connectionName: role.name,
    ...options.redisOptions,
  };
  if (options.cluster) {
    return new Cluster(
      options.cluster.map((node) => ({ host: node.host, port: node.port })),
      {
        enableAutoPipelining: !role.blocking,
        ...options.clusterOptions,
        lazyConnect: true,
        clusterRetryStrategy: retry,
        redisOptions: common,
      },
    );
  }
  return new Redis(options.url ?? '', {
    enableAutoPipelining: !role.blocking,
    ...common,
    lazyConnect: true,
    retryStrategy: retry,
  });
}

/** Connects a lazy client; a client that is already connecting or ready is left alone. */
export async function connectRedis(connection: RedisConnection): Promise<void> {
  if (connection.status === 'wait' || connection.status === 'end') await connection.connect();
  else if (connection.status !== 'ready') await waitReady(connection);
}

function waitReady(connection: RedisConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error('Redis connection ended before it was ready'));
    };
    const cleanup = (): void => {
      connection.off('ready', onReady);
      connection.off('end', onEnd);
    };
    connection.on('ready', onReady);
    connection.on('end', onEnd);
  });
}

/** QUIT politely, or drop the socket if Redis cannot answer. */
export async function closeRedis(connection: RedisConnection | undefined): Promise<void> {
  if (!connection || connection.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    if (connection.status === 'ready') {
      await Promise.race([connection.quit(), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
    }
  } catch {
    // The connection is going away either way.
  } finally {
    clearTimeout(timer);
    connection.disconnect();
  }
}
