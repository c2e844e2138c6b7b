import { type Priority, type StreamContract } from '@peerfed/shared/contracts';
import { type Registry } from 'prom-client';
import { type PriorityWeights } from './priority-shares.util';
import { type RedisStreamsConnectionOptions } from './redis-connection.util';
import { type StreamsClock } from './streams-clock.util';

export interface RedisStreamsServerOptions extends RedisStreamsConnectionOptions {
  /** Default consumer group of every handler (a handler may name its own, see README). */
  group: string;
  /** This process's consumer name; default `<hostname>-<pid>-<random>`. A stable name (pod name)
   *  lets a restarted process finish its own pending messages at once instead of after the idle timeout. */
  consumer?: string;
  /** Contracts of the streams handled, when handlers do not name theirs in `extras.contract`. */
  contracts?: StreamContract[];
  /** XREADGROUP COUNT per read cycle (MAX_BATCH_SIZE); default 10. */
  maxBatchSize?: number;
  /** Handlers in flight per process, over all streams; default 2 x maxBatchSize. */
  concurrency?: number;
  /** XREADGROUP BLOCK, and so the longest close() waits for a read in progress; default 1000 ms. */
  blockMs?: number;
  /** Pending entries idle longer than this are reclaimed from their consumer; default 60 s.
   *  Keep it above the longest handler run, or a slow message is handled twice. */
  claimIdleMs?: number;
  /** How often the janitor reclaims, refreshes gauges and reaps consumers; default 10 s. */
  janitorIntervalMs?: number;
  /** Deliveries before a failing message goes to the dead-letter stream; default 5. */
  maxDeliveries?: number;
  /** close() waits this long for handlers in flight; default 10 s. */
  drainTimeoutMs?: number;
  /** Read-loop backoff after a Redis error: first delay; default 100 ms. */
  errorBackoffMs?: number;
  /** Read-loop backoff cap; default 5000 ms. */
  maxErrorBackoffMs?: number;
  /** Consumers without pending entries idle this long are deleted from the group; default 1 h. */
  consumerIdleDeleteMs?: number;
  /** Share of each read cycle per lane; default critical 8, high 4, medium 2, low 1. */
  priorityWeights?: PriorityWeights;
  /** Reply streams expire this long after their last reply; default 5 min. */
  replyTtlMs?: number;
  /** prom-client registry for the transport's metrics; default the global one. */
  registry?: Registry;
  clock?: StreamsClock;
}

export interface RedisStreamsClientOptions extends RedisStreamsConnectionOptions {
  /** Contracts of the streams this client writes to with emit()/send() and plain payloads. */
  contracts?: StreamContract[];
  /** Lane of messages that do not name one; default 'medium'. */
  defaultPriority?: Priority;
  /** send(): how long to wait for the reply; default 30 s. */
  requestTimeoutMs?: number;
  /** emit()/send(): how long an XADD may take before the call fails; default 5 s. */
  publishTimeoutMs?: number;
  /** Also validate payloads before writing them (default false: consumers validate every message
   *  on receipt and dead-letter invalid ones). Turn on for producers that forward outside input. */
  validateOnPublish?: boolean;
  /** XREAD BLOCK of the reply reader; default 1000 ms. */
  blockMs?: number;
}

/** What a handler may add in `@EventPattern(stream, extras)` / `@MessagePattern(stream, extras)`. */
export interface RedisStreamsHandlerExtras {
  contract?: StreamContract;
  group?: string;
}
