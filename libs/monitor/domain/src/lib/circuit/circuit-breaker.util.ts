import {
  type CircuitConfig,
  type CircuitResult,
  type CircuitState,
  type CircuitStatus,
  type CircuitTransition,
  type EffectiveStatus,
  type TransitionReason,
} from './circuit.types';
import { DEFAULT_CIRCUIT_CONFIG } from './circuit-config.util';
import { type HostOutcome } from '../host-outcome.types';
import { normaliseHost, requireFinite, requireOutcome, requireText } from '../input.util';

export function initialCircuitState(host: string, now: number): CircuitState {
  return {
    version: 1,
    host: normaliseHost(host),
    status: 'closed',
    consecutiveFailures: 0,
    halfOpenSuccesses: 0,
    openedAt: null,
    changedAt: requireFinite('now', now),
    probeLeases: [],
    blocked: null,
    lastReset: null,
  };
}

/**
 * Brings a stored state up to `now`: an open circuit whose recovery timeout has passed becomes
 * half-open (dated when the timeout expired, not when someone looked), and expired probe leases
 * are dropped. Every other function starts with this, so nobody needs a timer.
 */
export function advanceCircuit(state: CircuitState, now: number, config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): CircuitResult {
  requireFinite('now', now);
  let next = state;
  const transitions: CircuitTransition[] = [];
  if (state.status === 'open' && state.openedAt !== null && now >= state.openedAt + config.recoveryTimeoutMs) {
    const at = state.openedAt + config.recoveryTimeoutMs;
    next = { ...state, status: 'half-open', halfOpenSuccesses: 0, probeLeases: [], changedAt: at };
    transitions.push({ from: 'open', to: 'half-open', at, reason: 'recovery-timeout' });
  }
  if (next.probeLeases.some((expiry) => expiry <= now)) {
    next = { ...next, probeLeases: next.probeLeases.filter((expiry) => expiry > now) };
  }
  return { state: next, transitions };
}

/** The circuit's status at `now` (ignoring a manual block; see effectiveStatus). */
export function currentState(state: CircuitState, now: number, config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): CircuitStatus {
  return advanceCircuit(state, now, config).state.status;
}

export function effectiveStatus(state: CircuitState, now: number, config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): EffectiveStatus {
  return state.blocked !== null ? 'blocked' : currentState(state, now, config);
}

/**
 * Records one delivery outcome.
 * closed: a failure adds to the streak and opens the circuit at the threshold; success/rejected end the streak.
 * half-open: success/rejected count towards closing; any failure reopens (recovery timer restarts).
 * open: outcomes are late answers to requests sent before it opened and change nothing.
 * rate-limited (429): counts neither way anywhere; in half-open it only frees its probe slot.
 */
export function applyOutcome(
  state: CircuitState,
  outcome: HostOutcome,
  now: number,
  config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG,
): CircuitResult {
  requireOutcome(outcome);
  const advanced = advanceCircuit(state, now, config);
  const transitions = [...advanced.transitions];
  const s = advanced.state;
  const healthy = outcome === 'success' || outcome === 'rejected';
  let next: CircuitState = s;

  switch (s.status) {
    case 'closed':
      if (outcome === 'failure') {
        const failures = s.consecutiveFailures + 1;
        next = failures >= config.failureThreshold
          ? moveTo(s, 'open', now, 'failure-threshold', transitions, { consecutiveFailures: failures, openedAt: now })
          : { ...s, consecutiveFailures: failures };
      } else if (healthy && s.consecutiveFailures > 0) {
        next = { ...s, consecutiveFailures: 0 };
      }
      break;
    case 'half-open': {
      const probeLeases = s.probeLeases.slice(1); // leases are sorted: free the oldest slot
      if (outcome === 'failure') {
        next = moveTo(s, 'open', now, 'probe-failed', transitions, {
          consecutiveFailures: s.consecutiveFailures + 1, openedAt: now, halfOpenSuccesses: 0, probeLeases: [],
        });
      } else if (healthy) {
        const successes = s.halfOpenSuccesses + 1;
        next = successes >= config.successThreshold
          ? moveTo(s, 'closed', now, 'success-threshold', transitions, {
              consecutiveFailures: 0, halfOpenSuccesses: 0, openedAt: null, probeLeases: [],
            })
          : { ...s, halfOpenSuccesses: successes, probeLeases };
      } else {
        next = { ...s, probeLeases };
      }
      break;
    }
    case 'open':
      break;
  }
  return { state: next, transitions };
}

/**
 * May delivery send to this host now? blocked or open: no. closed: yes. half-open: only while fewer
 * than halfOpenMaxProbes probes are in flight; the sender must take the slot with admitDelivery.
 * Messages that may not go now wait (see nextDeliveryCheckAt); they are never dropped.
 */
export function allowsDelivery(state: CircuitState, now: number, config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): boolean {
  if (state.blocked !== null) return false;
  const s = advanceCircuit(state, now, config).state;
  switch (s.status) {
    case 'closed':
      return true;
    case 'open':
      return false;
    case 'half-open':
      return s.probeLeases.length < config.halfOpenMaxProbes;
  }
}

/** allowsDelivery, and when half-open also takes a probe slot (leased for probeLeaseMs). */
export function admitDelivery(
  state: CircuitState,
  now: number,
  config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG,
): CircuitResult & { readonly allowed: boolean } {
  const advanced = advanceCircuit(state, now, config);
  const allowed = allowsDelivery(advanced.state, now, config);
  if (!allowed || advanced.state.status !== 'half-open') return { ...advanced, allowed };
  const probeLeases = [...advanced.state.probeLeases, now + config.probeLeaseMs].sort((a, b) => a - b);
  return { state: { ...advanced.state, probeLeases }, transitions: advanced.transitions, allowed };
}

/**
 * When a delivery refused now is worth checking again: the end of the recovery timeout (open),
 * the earliest probe lease expiry (half-open and full; an outcome may free a slot sooner),
 * `now` if allowed, null while blocked (only an admin unblocks).
 */
export function nextDeliveryCheckAt(state: CircuitState, now: number, config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): number | null {
  if (state.blocked !== null) return null;
  const s = advanceCircuit(state, now, config).state;
  if (allowsDelivery(s, now, config)) return now;
  if (s.status === 'open' && s.openedAt !== null) return s.openedAt + config.recoveryTimeoutMs;
  return s.probeLeases[0] ?? now;
}

/** Manual reset: closed, counters and probes cleared, who and why recorded. Does not lift a block. */
export function resetCircuit(
  state: CircuitState,
  now: number,
  actor: string,
  reason: string,
  config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG,
): CircuitResult {
  const mark = adminMark(now, actor, reason);
  const from = currentState(state, now, config);
  const next: CircuitState = {
    ...state,
    status: 'closed',
    consecutiveFailures: 0,
    halfOpenSuccesses: 0,
    openedAt: null,
    probeLeases: [],
    changedAt: now,
    lastReset: mark,
  };
  return { state: next, transitions: [{ from, to: 'closed', at: now, reason: 'manual-reset', actor, note: reason }] };
}

/** Defederation: delivery stops whatever the circuit says, until unblock. Blocking twice keeps the first mark. */
export function blockHost(state: CircuitState, now: number, actor: string, reason: string, config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): CircuitResult {
  const mark = adminMark(now, actor, reason);
  if (state.blocked !== null) return { state, transitions: [] };
  const from = currentState(state, now, config);
  return { state: { ...state, blocked: mark }, transitions: [{ from, to: 'blocked', at: now, reason: 'blocked', actor, note: reason }] };
}

/** Lifts a block; the circuit continues from where it was (reset it too if wanted). */
export function unblockHost(state: CircuitState, now: number, actor: string, reason: string, config: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): CircuitResult {
  adminMark(now, actor, reason);
  if (state.blocked === null) return { state, transitions: [] };
  const to = currentState(state, now, config);
  return { state: { ...state, blocked: null }, transitions: [{ from: 'blocked', to, at: now, reason: 'unblocked', actor, note: reason }] };
}

function moveTo(
  state: CircuitState,
  to: CircuitStatus,
  now: number,
  reason: TransitionReason,
  transitions: CircuitTransition[],
  changes: Partial<CircuitState>,
): CircuitState {
  transitions.push({ from: state.status, to, at: now, reason });
  return { ...state, ...changes, status: to, changedAt: now };
}

function adminMark(now: number, actor: string, reason: string): { at: number; actor: string; reason: string } {
  return { at: requireFinite('now', now), actor: requireText('actor', actor), reason: requireText('reason', reason) };
}
