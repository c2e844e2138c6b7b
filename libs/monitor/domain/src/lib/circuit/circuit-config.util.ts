import { type CircuitConfig } from './circuit.types';
import { requireInteger } from '../input.util';

export const DEFAULT_CIRCUIT_CONFIG: CircuitConfig = Object.freeze({
  failureThreshold: 5,
  recoveryTimeoutMs: 300_000,
  successThreshold: 3,
  // One probe at a time: a host that is still down sees one request per recovery timeout, not a burst.
  halfOpenMaxProbes: 1,
  // Longer than delivery's request timeout, so a live probe is never double-counted.
  probeLeaseMs: 60_000,
});

/** Defaults overridden by the service's validated env; every value must be a positive integer. */
export function circuitConfig(overrides: Partial<CircuitConfig> = {}): CircuitConfig {
  const merged = { ...DEFAULT_CIRCUIT_CONFIG, ...overrides };
  for (const key of Object.keys(DEFAULT_CIRCUIT_CONFIG) as (keyof CircuitConfig)[]) {
    requireInteger(key, merged[key], 1, 'INVALID_CONFIG');
  }
  return Object.freeze(merged);
}
