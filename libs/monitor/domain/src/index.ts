export { MonitorDomainError, type MonitorDomainErrorCode } from './lib/monitor-domain.exception';
export { type HostOutcome, HOST_OUTCOMES } from './lib/host-outcome.types';
export {
  type CircuitStatus,
  type EffectiveStatus,
  type TransitionReason,
  type CircuitTransition,
  type AdminMark,
  type CircuitState,
  type CircuitConfig,
  type CircuitResult,
} from './lib/circuit/circuit.types';
export { DEFAULT_CIRCUIT_CONFIG, circuitConfig } from './lib/circuit/circuit-config.util';
export {
  initialCircuitState,
  advanceCircuit,
  currentState,
  effectiveStatus,
  applyOutcome,
  allowsDelivery,
  admitDelivery,
  nextDeliveryCheckAt,
  resetCircuit,
  blockHost,
  unblockHost,
} from './lib/circuit/circuit-breaker.util';
export { parseCircuitState } from './lib/circuit/circuit-state.util';
export {
  type LatencyHistogram,
  LATENCY_RELATIVE_ACCURACY,
  LATENCY_MIN_MS,
  LATENCY_MAX_MS,
  latencyQuantiles,
} from './lib/health/latency-histogram.util';
export {
  type HealthCounts,
  type HealthBucket,
  type InstanceHealthState,
  type HealthWindow,
  type WindowSummary,
  type HealthSnapshot,
} from './lib/health/instance-health.types';
export {
  HEALTH_WINDOWS,
  type HealthObservation,
  emptyInstanceHealth,
  recordHealthOutcome,
  healthSnapshot,
  parseInstanceHealth,
} from './lib/health/instance-health.util';
export {
  type AvailabilityState,
  type AvailabilityConfig,
  type ContactSource,
  type AvailabilityEvent,
  type AvailabilityResult,
  DEFAULT_AVAILABILITY_CONFIG,
  initialAvailability,
  availabilityConfig,
  utcDay,
  recordDeliveryFailure,
  recordContact,
  applyAvailabilityOutcome,
  parseAvailability,
} from './lib/availability/unavailable-rule.util';
