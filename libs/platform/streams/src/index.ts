export { RedisStreamsServer, type RedisStreamsHealth } from './lib/redis-streams.server';
export { RedisStreamsClient } from './lib/redis-streams.client';
export { RedisStreamsContext, type RedisStreamsMessageInfo } from './lib/redis-streams-context.types';
export {
  type RedisStreamsServerOptions,
  type RedisStreamsClientOptions,
  type RedisStreamsHandlerExtras,
} from './lib/redis-streams-options.types';
export { type RedisStreamsConnectionOptions, createRedisConnection } from './lib/redis-connection.util';
export { REDIS_STREAMS_TRANSPORT, type RedisStreamsStatus, type RedisStreamsEvents } from './lib/redis-streams-status.types';
export { OutboundMessage, type OutboundMessageOptions } from './lib/outbound-message.dto';
export { RequestTimeoutException } from './lib/request-timeout.exception';
export { PublishFailedException } from './lib/publish-failed.exception';
export { RethrowRpcExceptionFilter } from './lib/rethrow-rpc-exception.filter';
export { DeadLetterRepository, type DeadLetter, type DeadLetterQuery, type PurgeOptions } from './lib/dead-letters.repository';
export { trimStream, type TrimOptions, type LaneTrimResult } from './lib/stream-trim.util';
export { laneKey, laneKeys, deadLetterKey, ENVELOPE_FIELD } from './lib/stream-keys.util';
export { DEFAULT_PRIORITY_WEIGHTS, type PriorityWeights } from './lib/priority-shares.util';
export { type DeadLetterReason } from './lib/stream-binding.types';
export { type LoopHealth } from './lib/consumer-loop.service';
export { type StreamsClock, systemClock } from './lib/streams-clock.util';
export { type RedisConnection } from './lib/lua-script.util';
export { BatchQueue, type BatchSender } from './lib/batch-queue.util';
