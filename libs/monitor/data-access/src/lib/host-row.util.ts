import {
  type CircuitConfig,
  type CircuitState,
  currentState,
  effectiveStatus,
  healthSnapshot,
  parseAvailability,
  parseCircuitState,
  parseInstanceHealth,
} from '@peerfed/monitor/domain';
import { type CircuitSnapshot } from '@peerfed/shared/contracts';
import { type InstanceEntity } from './entities/instance.entity';
import { type HostStates } from './host-states.types';

const toDate = (epochMs: number | null): Date | null => (epochMs === null ? null : new Date(epochMs));

/** Reads a stored row back through the domain parsers (which throw on a malformed state). */
export function statesOf(row: InstanceEntity): HostStates {
  return {
    circuit: parseCircuitState(row.circuit),
    health: parseInstanceHealth(row.health),
    availability: parseAvailability(row.availability),
  };
}

/** The circuit as delivery replicas read it (CIRCUIT_STATE_KEY). */
export function circuitSnapshot(circuit: CircuitState, now: number, config: CircuitConfig): CircuitSnapshot {
  const status = currentState(circuit, now, config);
  const snapshot: CircuitSnapshot = { host: circuit.host, status, blocked: circuit.blocked !== null, updatedAt: now };
  if (status === 'open' && circuit.openedAt !== null) return { ...snapshot, openUntil: circuit.openedAt + config.recoveryTimeoutMs };
  return snapshot;
}

/** The full row for a host's states: the JSON plus the columns derived from it for SQL filters. */
export function rowOf(states: HostStates, now: number, config: CircuitConfig): InstanceEntity {
  const { circuit, health, availability } = states;
  const hour = healthSnapshot(health, now).windows['1h'];
  const status = currentState(circuit, now, config);
  return {
    host: circuit.host,
    status: effectiveStatus(circuit, now, config),
    circuit,
    health,
    availability,
    failureRate: hour.attempts === 0 ? null : hour.failure / hour.attempts,
    attempts1h: hour.attempts,
    consecutiveFailures: circuit.consecutiveFailures,
    openUntil: status === 'open' && circuit.openedAt !== null ? new Date(circuit.openedAt + config.recoveryTimeoutMs) : null,
    lastSuccessAt: toDate(health.lastSuccessAt),
    lastFailureAt: toDate(health.lastFailureAt),
    unavailable: availability.unavailable,
    unavailableSince: toDate(availability.unavailableSince),
    blocked: circuit.blocked !== null,
    updatedAt: new Date(now),
  };
}
