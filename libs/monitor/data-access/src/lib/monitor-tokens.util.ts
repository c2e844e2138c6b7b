/** Injection token of the monitor's clock (epoch ms); tests inject a manual one. */
export const MONITOR_CLOCK = Symbol('MONITOR_CLOCK');
/** Injection token of the monitor's own Redis connection (snapshots, admin reads, lifecycle). */
export const MONITOR_REDIS = Symbol('MONITOR_REDIS');
/** Injection token of the validated CircuitConfig (from CIRCUIT_* variables). */
export const CIRCUIT_CONFIG = Symbol('CIRCUIT_CONFIG');

export interface MonitorClock {
  now(): number;
}

export const systemMonitorClock: MonitorClock = { now: () => Date.now() };

