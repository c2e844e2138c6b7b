import { parseCircuitState } from './circuit-state.util';
import { admitDelivery, advanceCircuit, applyOutcome, blockHost, initialCircuitState, resetCircuit } from './circuit-breaker.util';
import { type CircuitState } from './circuit.types';
import { MonitorDomainError } from '../monitor-domain.exception';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

function busyState(): CircuitState {
  let state = initialCircuitState('remote.example:8443', T0);
  for (let i = 0; i < 5; i++) state = applyOutcome(state, 'failure', T0 + i).state;
  state = advanceCircuit(state, T0 + 400_000).state;
  state = admitDelivery(state, T0 + 400_000).state;
  state = blockHost(state, T0 + 400_001, 'admin', 'abuse').state;
  return resetCircuit(state, T0 + 400_002, 'admin', 'reset').state;
}

describe('parseCircuitState', () => {
  it('round-trips through JSON', () => {
    const state = busyState();
    expect(parseCircuitState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it.each<[string, (s: Record<string, unknown>) => void]>([
    ['a wrong version', (s) => (s.version = 2)],
    ['an unknown status', (s) => (s.status = 'ajar')],
    ['an open circuit without openedAt', (s) => Object.assign(s, { status: 'open', openedAt: null })],
    ['a negative failure count', (s) => (s.consecutiveFailures = -1)],
    ['a string timestamp', (s) => (s.changedAt = '2026-11-22')],
    ['a lease that is not a number', (s) => (s.probeLeases = ['x'])],
    ['a block without actor', (s) => (s.blocked = { at: T0, reason: 'x' })],
    ['a bad host', (s) => (s.host = '')],
  ])('rejects %s', (_name, corrupt) => {
    const json = JSON.parse(JSON.stringify(busyState())) as Record<string, unknown>;
    corrupt(json);
    expect(() => parseCircuitState(json)).toThrow(MonitorDomainError);
  });

  it('rejects non-objects', () => {
    expect(() => parseCircuitState(null)).toThrow(MonitorDomainError);
    expect(() => parseCircuitState([])).toThrow(MonitorDomainError);
  });
});
