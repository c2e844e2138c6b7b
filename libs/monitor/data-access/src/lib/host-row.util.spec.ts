import {
  applyOutcome,
  blockHost,
  circuitConfig,
  emptyInstanceHealth,
  initialAvailability,
  initialCircuitState,
  recordHealthOutcome,
} from '@peerfed/monitor/domain';
import { circuitSnapshot, rowOf, statesOf } from './host-row.util';
import { type HostStates } from './host-states.types';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const config = circuitConfig({ failureThreshold: 3, recoveryTimeoutMs: 60_000 });

function failing(times: number): HostStates {
  let circuit = initialCircuitState('R.example', T0);
  let health = emptyInstanceHealth('r.example');
  for (let i = 0; i < times; i++) {
    circuit = applyOutcome(circuit, 'failure', T0 + i, config).state;
    health = recordHealthOutcome(health, { outcome: 'failure' }, T0 + i);
  }
  health = recordHealthOutcome(health, { outcome: 'success', responseTimeMs: 20 }, T0 + times);
  return { circuit, health, availability: initialAvailability('r.example') };
}

describe('instance rows and snapshots', () => {
  it('derives the queryable columns from the domain states', () => {
    const row = rowOf(failing(3), T0 + 10, config);
    expect(row).toMatchObject({
      host: 'r.example',
      status: 'open',
      consecutiveFailures: 3,
      attempts1h: 4,
      failureRate: 0.75,
      openUntil: new Date(T0 + 2 + 60_000),
      lastFailureAt: new Date(T0 + 2),
      lastSuccessAt: new Date(T0 + 3),
      unavailable: false,
      blocked: false,
      updatedAt: new Date(T0 + 10),
    });
    expect(statesOf(row)).toEqual(failing(3));
  });

  it('has no failure rate without attempts, and a block wins over the circuit status', () => {
    const states = { circuit: blockHost(initialCircuitState('b.example', T0), T0, 'admin', 'spam').state, health: emptyInstanceHealth('b.example'), availability: initialAvailability('b.example') };
    expect(rowOf(states, T0, config)).toMatchObject({ status: 'blocked', blocked: true, failureRate: null, openUntil: null });
    expect(circuitSnapshot(states.circuit, T0, config)).toEqual({ host: 'b.example', status: 'closed', blocked: true, updatedAt: T0 });
  });

  it('publishes openUntil while open, and half-open once the timeout has passed', () => {
    const { circuit } = failing(3);
    expect(circuitSnapshot(circuit, T0 + 5, config)).toEqual({ host: 'r.example', status: 'open', blocked: false, openUntil: T0 + 2 + 60_000, updatedAt: T0 + 5 });
    expect(circuitSnapshot(circuit, T0 + 2 + 60_000, config)).toEqual({ host: 'r.example', status: 'half-open', blocked: false, updatedAt: T0 + 2 + 60_000 });
  });
});
