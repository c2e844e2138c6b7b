import {
  admitDelivery,
  advanceCircuit,
  allowsDelivery,
  applyOutcome,
  blockHost,
  currentState,
  effectiveStatus,
  initialCircuitState,
  nextDeliveryCheckAt,
  resetCircuit,
  unblockHost,
} from './circuit-breaker.util';
import { type CircuitState, type CircuitTransition } from './circuit.types';
import { circuitConfig, DEFAULT_CIRCUIT_CONFIG } from './circuit-config.util';
import { type HostOutcome } from '../host-outcome.types';
import { MonitorDomainError } from '../monitor-domain.exception';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const SECOND = 1000;
const RECOVERY = DEFAULT_CIRCUIT_CONFIG.recoveryTimeoutMs;

/** Feeds outcomes one second apart starting at `from`; returns the final state and every transition. */
function feed(state: CircuitState, outcomes: HostOutcome[], from: number): { state: CircuitState; transitions: CircuitTransition[]; at: number } {
  let s = state;
  let at = from;
  const transitions: CircuitTransition[] = [];
  for (const outcome of outcomes) {
    const result = applyOutcome(s, outcome, at);
    s = result.state;
    transitions.push(...result.transitions);
    at += SECOND;
  }
  return { state: s, transitions, at: at - SECOND };
}

const times = (n: number, value: HostOutcome): HostOutcome[] => Array<HostOutcome>(n).fill(value);

function openCircuit(): { state: CircuitState; openedAt: number } {
  const { state, at } = feed(initialCircuitState('Remote.Example', T0), times(5, 'failure'), T0);
  return { state, openedAt: at };
}

function halfOpenCircuit(): { state: CircuitState; at: number } {
  const { state, openedAt } = openCircuit();
  return { state: advanceCircuit(state, openedAt + RECOVERY).state, at: openedAt + RECOVERY };
}

/** Deep-freezes so that any mutation of an input state throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(frozen);
    Object.freeze(value);
  }
  return value;
}

describe('circuit breaker: closed', () => {
  it('starts closed, with a normalised host, and lets deliveries through', () => {
    const state = initialCircuitState('Remote.Example', T0);
    expect(state).toMatchObject({ host: 'remote.example', status: 'closed', consecutiveFailures: 0 });
    expect(allowsDelivery(state, T0)).toBe(true);
  });

  it('four consecutive failures keep it closed', () => {
    const { state, transitions } = feed(initialCircuitState('r.example', T0), times(4, 'failure'), T0);
    expect(state).toMatchObject({ status: 'closed', consecutiveFailures: 4 });
    expect(transitions).toEqual([]);
  });

  it('the fifth consecutive failure opens it', () => {
    const { state, transitions, at } = feed(initialCircuitState('r.example', T0), times(5, 'failure'), T0);
    expect(state).toMatchObject({ status: 'open', openedAt: at });
    expect(transitions).toEqual([{ from: 'closed', to: 'open', at, reason: 'failure-threshold' }]);
    expect(allowsDelivery(state, at)).toBe(false);
  });

  it('a success ends the failure streak', () => {
    const { state } = feed(initialCircuitState('r.example', T0), [...times(4, 'failure'), 'success', ...times(4, 'failure')], T0);
    expect(state).toMatchObject({ status: 'closed', consecutiveFailures: 4 });
  });

  it('a permanent 4xx answer (rejected) also ends the streak: the host is up', () => {
    const { state } = feed(initialCircuitState('r.example', T0), [...times(4, 'failure'), 'rejected', 'failure'], T0);
    expect(state).toMatchObject({ status: 'closed', consecutiveFailures: 1 });
  });

  it('429s count neither as failures nor as successes', () => {
    const outcomes: HostOutcome[] = [...times(4, 'failure'), ...times(20, 'rate-limited'), 'failure'];
    const { state, transitions } = feed(initialCircuitState('r.example', T0), outcomes, T0);
    expect(transitions.map((t) => t.reason)).toEqual(['failure-threshold']);
    expect(state.status).toBe('open');
  });

  it('429s alone never open the circuit', () => {
    expect(feed(initialCircuitState('r.example', T0), times(50, 'rate-limited'), T0).state.status).toBe('closed');
  });

  it('uses a configured failure threshold', () => {
    const config = circuitConfig({ failureThreshold: 2 });
    const once = applyOutcome(initialCircuitState('r.example', T0), 'failure', T0, config).state;
    expect(applyOutcome(once, 'failure', T0 + 1, config).state.status).toBe('open');
  });
});

describe('circuit breaker: open', () => {
  it('stays open until the recovery timeout', () => {
    const { state, openedAt } = openCircuit();
    expect(currentState(state, openedAt + RECOVERY - 1)).toBe('open');
    expect(allowsDelivery(state, openedAt + RECOVERY - 1)).toBe(false);
  });

  it('becomes half-open lazily at openedAt + recovery timeout, dated then even if looked at later', () => {
    const { state, openedAt } = openCircuit();
    expect(currentState(state, openedAt + RECOVERY)).toBe('half-open');
    const later = advanceCircuit(state, openedAt + RECOVERY + 3_600_000);
    expect(later.transitions).toEqual([{ from: 'open', to: 'half-open', at: openedAt + RECOVERY, reason: 'recovery-timeout' }]);
  });

  it('ignores late outcomes while open (answers to requests sent before it opened)', () => {
    const { state, openedAt } = openCircuit();
    const result = feed(state, ['success', 'success', 'success', 'failure'], openedAt + SECOND);
    expect(result.state).toBe(state);
    expect(result.transitions).toEqual([]);
  });

  it('tells delivery when to look again', () => {
    const { state, openedAt } = openCircuit();
    expect(nextDeliveryCheckAt(state, openedAt + 10 * SECOND)).toBe(openedAt + RECOVERY);
  });
});

describe('circuit breaker: half-open', () => {
  it('three successes close it and clear the counters', () => {
    const { state, at } = halfOpenCircuit();
    const { state: closed, transitions } = feed(state, times(3, 'success'), at);
    expect(closed).toMatchObject({ status: 'closed', consecutiveFailures: 0, halfOpenSuccesses: 0, openedAt: null });
    expect(transitions).toEqual([{ from: 'half-open', to: 'closed', at: at + 2 * SECOND, reason: 'success-threshold' }]);
  });

  it('two successes are not enough', () => {
    const { state, at } = halfOpenCircuit();
    expect(feed(state, times(2, 'success'), at).state).toMatchObject({ status: 'half-open', halfOpenSuccesses: 2 });
  });

  it('any failure reopens it and restarts the recovery timer', () => {
    const { state, at } = halfOpenCircuit();
    const { state: reopened, transitions, at: failedAt } = feed(state, ['success', 'success', 'failure'], at);
    expect(reopened).toMatchObject({ status: 'open', openedAt: failedAt, halfOpenSuccesses: 0 });
    expect(transitions).toEqual([{ from: 'half-open', to: 'open', at: failedAt, reason: 'probe-failed' }]);
    expect(currentState(reopened, failedAt + RECOVERY - 1)).toBe('open');
    expect(currentState(reopened, failedAt + RECOVERY)).toBe('half-open');
  });

  it('a failure arriving after the timeout passed, without anyone looking, reopens from half-open', () => {
    const { state, openedAt } = openCircuit();
    const at = openedAt + RECOVERY + 10 * SECOND;
    const result = applyOutcome(state, 'failure', at);
    expect(result.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['open->half-open', 'half-open->open']);
    expect(result.state.openedAt).toBe(at);
  });

  it('a 429 neither closes nor reopens it', () => {
    const { state, at } = halfOpenCircuit();
    const { state: after, transitions } = feed(state, ['success', 'rate-limited', 'rate-limited', 'success'], at);
    expect(after).toMatchObject({ status: 'half-open', halfOpenSuccesses: 2 });
    expect(transitions).toEqual([]);
  });

  it('admits one probe at a time', () => {
    const { state, at } = halfOpenCircuit();
    const first = admitDelivery(state, at);
    expect(first.allowed).toBe(true);
    expect(first.state.probeLeases).toEqual([at + DEFAULT_CIRCUIT_CONFIG.probeLeaseMs]);
    expect(allowsDelivery(first.state, at)).toBe(false);
    expect(admitDelivery(first.state, at + 1).allowed).toBe(false);
    expect(nextDeliveryCheckAt(first.state, at + 1)).toBe(at + DEFAULT_CIRCUIT_CONFIG.probeLeaseMs);
  });

  it("a probe's outcome frees its slot, a 429 included", () => {
    const { state, at } = halfOpenCircuit();
    const probing = admitDelivery(state, at).state;
    expect(allowsDelivery(applyOutcome(probing, 'success', at + SECOND).state, at + SECOND)).toBe(true);
    expect(allowsDelivery(applyOutcome(probing, 'rate-limited', at + SECOND).state, at + SECOND)).toBe(true);
  });

  it('a probe whose outcome never arrives frees its slot when the lease expires', () => {
    const { state, at } = halfOpenCircuit();
    const probing = admitDelivery(state, at).state;
    expect(allowsDelivery(probing, at + DEFAULT_CIRCUIT_CONFIG.probeLeaseMs - 1)).toBe(false);
    expect(allowsDelivery(probing, at + DEFAULT_CIRCUIT_CONFIG.probeLeaseMs)).toBe(true);
  });

  it('admitting while closed takes no lease', () => {
    const state = initialCircuitState('r.example', T0);
    expect(admitDelivery(state, T0)).toEqual({ state, transitions: [], allowed: true });
  });
});

describe('circuit breaker: manual actions', () => {
  it('a reset closes an open circuit, clears counters and records who and why', () => {
    const { state, openedAt } = openCircuit();
    const at = openedAt + 10 * SECOND;
    const { state: reset, transitions } = resetCircuit(state, at, 'admin:alice', 'host fixed, confirmed by their admin');
    expect(reset).toMatchObject({ status: 'closed', consecutiveFailures: 0, openedAt: null, probeLeases: [] });
    expect(reset.lastReset).toEqual({ at, actor: 'admin:alice', reason: 'host fixed, confirmed by their admin' });
    expect(transitions).toEqual([
      { from: 'open', to: 'closed', at, reason: 'manual-reset', actor: 'admin:alice', note: 'host fixed, confirmed by their admin' },
    ]);
    expect(allowsDelivery(reset, at)).toBe(true);
  });

  it('a reset needs an actor and a reason', () => {
    const state = initialCircuitState('r.example', T0);
    expect(() => resetCircuit(state, T0, '', 'why')).toThrow(MonitorDomainError);
    expect(() => resetCircuit(state, T0, 'admin', ' ')).toThrow(MonitorDomainError);
  });

  it('a block wins over a closed circuit', () => {
    const { state, transitions } = blockHost(initialCircuitState('r.example', T0), T0, 'admin:bob', 'spam');
    expect(transitions).toEqual([{ from: 'closed', to: 'blocked', at: T0, reason: 'blocked', actor: 'admin:bob', note: 'spam' }]);
    expect(effectiveStatus(state, T0)).toBe('blocked');
    expect(allowsDelivery(state, T0)).toBe(false);
    expect(admitDelivery(state, T0).allowed).toBe(false);
    expect(nextDeliveryCheckAt(state, T0)).toBeNull();
  });

  it('a reset does not lift a block; an unblock returns to the circuit status', () => {
    const { state: open, openedAt } = openCircuit();
    const blocked = blockHost(open, openedAt, 'admin', 'defederate').state;
    const reset = resetCircuit(blocked, openedAt + 1, 'admin', 'clear counters').state;
    expect(effectiveStatus(reset, openedAt + 1)).toBe('blocked');
    const unblocked = unblockHost(reset, openedAt + 2, 'admin', 'refederate');
    expect(unblocked.transitions).toEqual([{ from: 'blocked', to: 'closed', at: openedAt + 2, reason: 'unblocked', actor: 'admin', note: 'refederate' }]);
    expect(allowsDelivery(unblocked.state, openedAt + 2)).toBe(true);
  });

  it('blocking twice keeps the first mark; unblocking an unblocked host does nothing', () => {
    const once = blockHost(initialCircuitState('r.example', T0), T0, 'a', 'first').state;
    expect(blockHost(once, T0 + 1, 'b', 'second')).toEqual({ state: once, transitions: [] });
    const state = initialCircuitState('r.example', T0);
    expect(unblockHost(state, T0, 'a', 'noop')).toEqual({ state, transitions: [] });
  });

  it('the circuit keeps counting while blocked', () => {
    const blocked = blockHost(initialCircuitState('r.example', T0), T0, 'a', 'b').state;
    expect(feed(blocked, times(5, 'failure'), T0).state.status).toBe('open');
  });
});

describe('circuit breaker: inputs', () => {
  it('never mutates the state it is given', () => {
    const { state, at } = halfOpenCircuit();
    const probing = frozen(admitDelivery(state, at).state);
    expect(() => {
      applyOutcome(probing, 'failure', at + 1);
      applyOutcome(probing, 'success', at + 1);
      resetCircuit(probing, at + 1, 'a', 'b');
      blockHost(probing, at + 1, 'a', 'b');
      admitDelivery(probing, at + DEFAULT_CIRCUIT_CONFIG.probeLeaseMs + 1);
    }).not.toThrow();
  });

  it('rejects unknown outcomes, a bad now and bad config', () => {
    const state = initialCircuitState('r.example', T0);
    expect(() => applyOutcome(state, 'timeout' as HostOutcome, T0)).toThrow(MonitorDomainError);
    expect(() => applyOutcome(state, 'failure', Number.NaN)).toThrow(MonitorDomainError);
    expect(() => circuitConfig({ failureThreshold: 0 })).toThrow(MonitorDomainError);
    expect(() => circuitConfig({ recoveryTimeoutMs: 1.5 })).toThrow(MonitorDomainError);
    expect(() => initialCircuitState('bad host/with path', T0)).toThrow(MonitorDomainError);
  });
});
