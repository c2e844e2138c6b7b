export { DeliveryDomainError, type DeliveryDomainErrorCode } from './lib/delivery-domain.exception';
export {
  type RetryPolicy,
  type RetryConfig,
  type RetryDecision,
  type GiveUpReason,
} from './lib/retry/retry-policy.types';
export {
  RETRY_POLICIES,
  DEFAULT_RETRY_POLICY,
  DEFAULT_RETRY_CONFIG,
  retryPolicyFor,
  retryConfig,
} from './lib/retry/retry-policies.util';
export { nextRetry, type NextRetryInput } from './lib/retry/next-retry.util';
export { parseRetryAfter, MAX_RETRY_AFTER_MS } from './lib/retry/parse-retry-after.util';
export {
  classifyOutcome,
  classifyError,
  PERMANENT_ERROR_CODES,
  type OutcomeInput,
  type OutcomeClassification,
  type TransportErrorClass,
} from './lib/outcome/classify-outcome.util';
export {
  planFanOut,
  type FollowerEndpoint,
  type FanOutInput,
  type FanOutPlan,
  type FanOutDestination,
  type FanOutHostGroup,
  type RejectedEndpoint,
} from './lib/fan-out/plan-fan-out.util';
export { orderingKey, subjectIdOf, type OrderableActivity } from './lib/ordering/ordering-key.util';
export { planNextInOrder, type LaneEntry, type LanePlan } from './lib/ordering/plan-next-in-order.util';
export { gcraDecide, type GcraLimit, type GcraDecision } from './lib/rate-limit/gcra.util';
