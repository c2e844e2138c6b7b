export { DeliveryKeys } from './lib/delivery-keys.util';
export { StreamWriter, serializeEnvelope, type AppendOptions, type StreamEntry } from './lib/stream-writer.repository';
export { DelayedTasksRepository, type DelayedTask } from './lib/delayed-tasks.repository';
export {
  DELIVERY_STATES,
  TERMINAL_STATES,
  MAX_HISTORY,
  type DeliveryState,
  type DeliveryStatus,
  type AttemptRecord,
} from './lib/delivery-status.types';
export { DeliveryStatusRepository } from './lib/delivery-status.repository';
export { DeliveryRecordsRepository, type DeliveryRecord } from './lib/delivery-records.repository';
export {
  DeadLetterStoreRepository,
  type NewDeadLetter,
  type DeadLetterRecord,
  type DeadLetterFilter,
} from './lib/dead-letter-store.repository';
export { ActivityStoreRepository, type StoredActivity } from './lib/activity-store.repository';
export { FollowerProjectionRepository, type FollowerRow } from './lib/follower-projection.repository';
export { RateLimiterRepository, type RateLimit, type RateDecision } from './lib/rate-limiter.repository';
export { CircuitCache } from './lib/circuit-cache.service';
export { createDeliveryTables, dropDeliveryTables } from './lib/delivery-tables.util';
export { OrderingGateRepository, type OrderedDelivery, type OrderedRef } from './lib/ordering-gate.repository';
export { SendGateRepository, type GateVerdict, type InFlightLimit } from './lib/send-gate.repository';
export { GroupCommit } from './lib/group-commit.util';
export { SignatureSchemesRepository } from './lib/signature-schemes.repository';
export { DELIVERY_ENTITIES } from './lib/delivery-entities.util';
