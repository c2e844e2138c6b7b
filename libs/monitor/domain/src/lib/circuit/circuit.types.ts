export type CircuitStatus = 'closed' | 'open' | 'half-open';
/** What delivery sees: a manual block wins over whatever the circuit says. */
export type EffectiveStatus = CircuitStatus | 'blocked';

export type TransitionReason =
  | 'failure-threshold'
  | 'recovery-timeout'
  | 'success-threshold'
  | 'probe-failed'
  | 'manual-reset'
  | 'blocked'
  | 'unblocked';

export interface CircuitTransition {
  readonly from: EffectiveStatus;
  readonly to: EffectiveStatus;
  readonly at: number;
  readonly reason: TransitionReason;
  /** Who did it, for the manual ones (reset, block, unblock). */
  readonly actor?: string;
  readonly note?: string;
}

export interface AdminMark {
  readonly at: number;
  readonly actor: string;
  readonly reason: string;
}

/** Plain JSON, stored per remote host. */
export interface CircuitState {
  readonly version: 1;
  readonly host: string;
  /** As last written; an `open` circuit past its recovery timeout is half-open (see currentState). */
  readonly status: CircuitStatus;
  readonly consecutiveFailures: number;
  readonly halfOpenSuccesses: number;
  readonly openedAt: number | null;
  readonly changedAt: number;
  /** Expiry times of the probes admitted while half-open and not yet answered. */
  readonly probeLeases: readonly number[];
  readonly blocked: AdminMark | null;
  readonly lastReset: AdminMark | null;
}

export interface CircuitConfig {
  /** CIRCUIT_FAILURE_THRESHOLD: consecutive failures that open a closed circuit. */
  readonly failureThreshold: number;
  /** CIRCUIT_RECOVERY_TIMEOUT: how long an open circuit waits before probing. */
  readonly recoveryTimeoutMs: number;
  /** CIRCUIT_SUCCESS_THRESHOLD: probe successes that close a half-open circuit. */
  readonly successThreshold: number;
  /** Probes allowed in flight at once while half-open. */
  readonly halfOpenMaxProbes: number;
  /** A probe whose outcome never arrives (crashed worker) frees its slot after this. */
  readonly probeLeaseMs: number;
}

export interface CircuitResult {
  readonly state: CircuitState;
  readonly transitions: readonly CircuitTransition[];
}
