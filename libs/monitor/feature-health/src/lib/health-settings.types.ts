/** Injection token of the feature's settings. */
export const HEALTH_SETTINGS = Symbol('HEALTH_SETTINGS');

export interface HealthSettings {
  /** How often open circuits past their recovery timeout are turned half-open; 0 disables the timer. */
  readonly recoveryIntervalMs: number;
  /** Most outcomes applied in one transaction. */
  readonly outcomeBatchSize: number;
  /** How long a lone outcome waits for company before its batch is applied. */
  readonly outcomeBatchLingerMs: number;
}
