export { PRIORITIES, type Priority, isPriority } from './lib/priority.types';
export { ENVELOPE_FIELD, streamSlotKey, laneKey, laneKeys, deadLetterKey } from './lib/stream-keys.util';
export { defineStream, type StreamContract, type PayloadClass, type PayloadOf } from './lib/define-stream.util';
export { MessageEnvelope, ENVELOPE_RULES, checkEnvelope } from './lib/message-envelope.dto';
export {
  createEnvelope,
  validateMessage,
  validatePayload,
  type EnvelopeOptions,
  type MessageValidationResult,
} from './lib/message-validation.util';
export { IsHttpUrl } from './lib/url-rules.util';
export { InboundActivityPayload, IngressInboundV1 } from './streams/ingress-inbound.contract';
export {
  OutboundActivityPayload,
  OutboundAudience,
  DeliveryOutboundV1,
  MAX_EXPLICIT_INBOXES,
} from './streams/delivery-outbound.contract';
export { DeliveryTaskPayload, DeliveryTasksV1 } from './streams/delivery-tasks.contract';
export {
  DELIVERY_ADMIN_ACTIONS,
  type DeliveryAdminAction,
  DeliveryAdminCommandPayload,
  type DeliveryAdminReply,
  DeliveryAdminV1,
} from './streams/delivery-admin.contract';
export {
  DeliveryOutcomePayload,
  DeliveryOutcomesV1,
  OUTCOME_CLASSES,
  type OutcomeClass,
} from './streams/delivery-outcomes.contract';
export {
  FOLLOWER_CHANGES,
  type FollowerChange,
  FollowerChangedPayload,
  IngressFollowersV1,
} from './streams/ingress-followers.contract';
export {
  CIRCUIT_STATE_KEY,
  CIRCUIT_CHANGES_CHANNEL,
  CIRCUIT_STATUSES,
  type CircuitStatus,
  type CircuitSnapshot,
  circuitAllowsDelivery,
  circuitRetryAt,
  parseCircuitSnapshot,
} from './circuits/circuit-state.contract';
export { IngressVotesV1, VOTE_CHANGES, VOTE_KINDS, VoteChangedPayload, type VoteChange, type VoteKindName } from './streams/ingress-votes.contract';
export { IngressPostsV1, POST_CHANGES, RemotePostChangedPayload, type PostChange } from './streams/ingress-posts.contract';
export {
  SIGNATURE_SCHEMES_KEY,
  SIGNATURE_SCHEME_CHOICES,
  type SignatureSchemeChoice,
  isSignatureSchemeChoice,
} from './signatures/signature-schemes.contract';
export { DeliveryGoneV1, InboxGonePayload } from './streams/delivery-gone.contract';
