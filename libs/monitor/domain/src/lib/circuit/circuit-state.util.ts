import { type AdminMark, type CircuitState, type CircuitStatus } from './circuit.types';
import { MonitorDomainError } from '../monitor-domain.exception';
import {
  normaliseHost,
  requireArray,
  requireFinite,
  requireInteger,
  requireNullableFinite,
  requireRecord,
  requireText,
  requireVersion,
} from '../input.util';

const STATUSES: readonly CircuitStatus[] = ['closed', 'open', 'half-open'];
// halfOpenMaxProbes is a small number; a longer list is corruption.
const MAX_LEASES = 1000;

/** Validates a circuit state read back from Redis or Postgres (JSON.parse output). */
export function parseCircuitState(json: unknown): CircuitState {
  const o = requireRecord('circuit state', json);
  requireVersion('circuit state', o.version, 1);
  if (!STATUSES.includes(o.status as CircuitStatus)) {
    throw new MonitorDomainError('INVALID_STATE', `circuit state.status must be one of ${STATUSES.join(', ')}`);
  }
  const status = o.status as CircuitStatus;
  const openedAt = requireNullableFinite('circuit state.openedAt', o.openedAt, 'INVALID_STATE');
  if (status === 'open' && openedAt === null) throw new MonitorDomainError('INVALID_STATE', 'an open circuit needs openedAt');
  return {
    version: 1,
    host: normaliseHost(o.host, 'INVALID_STATE'),
    status,
    consecutiveFailures: requireInteger('circuit state.consecutiveFailures', o.consecutiveFailures, 0, 'INVALID_STATE'),
    halfOpenSuccesses: requireInteger('circuit state.halfOpenSuccesses', o.halfOpenSuccesses, 0, 'INVALID_STATE'),
    openedAt,
    changedAt: requireFinite('circuit state.changedAt', o.changedAt, 'INVALID_STATE'),
    probeLeases: requireArray('circuit state.probeLeases', o.probeLeases, MAX_LEASES)
      .map((lease, i) => requireFinite(`circuit state.probeLeases[${i}]`, lease, 'INVALID_STATE'))
      .sort((a, b) => a - b),
    blocked: parseMark('circuit state.blocked', o.blocked),
    lastReset: parseMark('circuit state.lastReset', o.lastReset),
  };
}

function parseMark(name: string, value: unknown): AdminMark | null {
  if (value === null) return null;
  const o = requireRecord(name, value);
  return {
    at: requireFinite(`${name}.at`, o.at, 'INVALID_STATE'),
    actor: requireText(`${name}.actor`, o.actor, 'INVALID_STATE'),
    reason: requireText(`${name}.reason`, o.reason, 'INVALID_STATE'),
  };
}
