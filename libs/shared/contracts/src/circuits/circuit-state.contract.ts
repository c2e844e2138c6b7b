/**
 * Circuit state as the monitor publishes it and delivery replicas read it. Monitor owns the state
 * machine (libs/monitor/domain); this is only the published snapshot and the rule for reading it,
 * so delivery never imports monitor code.
 *
 * Storage: one Redis hash, field = host, value = JSON CircuitSnapshot; every change is also
 * published on CIRCUIT_CHANGES_CHANNEL so replicas refresh within a second. A host absent from
 * the hash is closed.
 */
export const CIRCUIT_STATE_KEY = '{circuits}:state';
export const CIRCUIT_CHANGES_CHANNEL = 'circuits:changed';

export const CIRCUIT_STATUSES = ['closed', 'open', 'half-open'] as const;
export type CircuitStatus = (typeof CIRCUIT_STATUSES)[number];

export interface CircuitSnapshot {
  host: string;
  status: CircuitStatus;
  /** Defederated by an admin: nothing is sent whatever the circuit says. */
  blocked: boolean;
  /** When status is open: epoch ms at which the circuit turns half-open. */
  openUntil?: number;
  /** Epoch ms of the change. */
  updatedAt: number;
}

/** True when delivery may send to the host now; an open circuit past openUntil counts as half-open. */
export function circuitAllowsDelivery(snapshot: CircuitSnapshot | undefined, now: number): boolean {
  if (!snapshot) return true;
  if (snapshot.blocked) return false;
  if (snapshot.status === 'open') return snapshot.openUntil !== undefined && now >= snapshot.openUntil;
  return true;
}

/** Epoch ms at which a deferred task for this host is worth trying again (undefined: blocked, ask later). */
export function circuitRetryAt(snapshot: CircuitSnapshot | undefined, now: number): number | undefined {
  if (!snapshot || circuitAllowsDelivery(snapshot, now)) return now;
  if (snapshot.blocked) return undefined;
  return snapshot.openUntil;
}

/** Parses a stored snapshot; anything malformed reads as undefined (closed) rather than blocking a host. */
export function parseCircuitSnapshot(raw: string | null | undefined): CircuitSnapshot | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<CircuitSnapshot>;
    if (typeof value.host !== 'string' || !CIRCUIT_STATUSES.includes(value.status as CircuitStatus)) return undefined;
    if (typeof value.blocked !== 'boolean' || typeof value.updatedAt !== 'number') return undefined;
    if (value.openUntil !== undefined && typeof value.openUntil !== 'number') return undefined;
    return value as CircuitSnapshot;
  } catch {
    return undefined;
  }
}
