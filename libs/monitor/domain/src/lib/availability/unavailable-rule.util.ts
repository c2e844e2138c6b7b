import { type HostOutcome } from '../host-outcome.types';
import { MonitorDomainError } from '../monitor-domain.exception';
import {
  normaliseHost,
  requireArray,
  requireFinite,
  requireInteger,
  requireNullableFinite,
  requireOutcome,
  requireRecord,
  requireVersion,
} from '../input.util';

/** Plain JSON, one per remote host. */
export interface AvailabilityState {
  readonly version: 1;
  readonly host: string;
  /** Distinct UTC days (YYYY-MM-DD, ascending) with a failure since the last contact; at most the threshold. */
  readonly failureDays: readonly string[];
  readonly unavailable: boolean;
  readonly unavailableSince: number | null;
}

export interface AvailabilityConfig {
  /** Distinct failure days without contact in between that make a host unavailable (Mastodon: 7). */
  readonly failureDaysThreshold: number;
}

export const DEFAULT_AVAILABILITY_CONFIG: AvailabilityConfig = Object.freeze({ failureDaysThreshold: 7 });

/** Evidence the host is alive: a delivery success, a permanent (4xx) answer, a request it sent us, an admin. */
export type ContactSource = 'delivery-success' | 'delivery-rejected' | 'inbound-request' | 'manual';

export type AvailabilityEvent =
  | { readonly type: 'marked-unavailable'; readonly host: string; readonly at: number; readonly failureDays: readonly string[] }
  | { readonly type: 'marked-available'; readonly host: string; readonly at: number; readonly source: ContactSource };

export interface AvailabilityResult {
  readonly state: AvailabilityState;
  readonly events: readonly AvailabilityEvent[];
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function initialAvailability(host: string): AvailabilityState {
  return { version: 1, host: normaliseHost(host), failureDays: [], unavailable: false, unavailableSince: null };
}

export function availabilityConfig(overrides: Partial<AvailabilityConfig> = {}): AvailabilityConfig {
  const merged = { ...DEFAULT_AVAILABILITY_CONFIG, ...overrides };
  requireInteger('failureDaysThreshold', merged.failureDaysThreshold, 1, 'INVALID_CONFIG');
  return Object.freeze(merged);
}

export function utcDay(now: number): string {
  return new Date(requireFinite('now', now)).toISOString().slice(0, 10);
}

/**
 * Mastodon's rule: a failed delivery adds its UTC day to the host's failure days; when they reach
 * the threshold (7 distinct days) with no contact in between, the host is marked unavailable.
 * Many failures on one day count once, so a single bad day can never mark a host.
 */
export function recordDeliveryFailure(
  state: AvailabilityState,
  now: number,
  config: AvailabilityConfig = DEFAULT_AVAILABILITY_CONFIG,
): AvailabilityResult {
  const day = utcDay(now);
  if (state.failureDays.includes(day)) return { state, events: [] };
  const failureDays = [...state.failureDays, day].sort().slice(-config.failureDaysThreshold);
  if (state.unavailable || failureDays.length < config.failureDaysThreshold) {
    return { state: { ...state, failureDays }, events: [] };
  }
  return {
    state: { ...state, failureDays, unavailable: true, unavailableSince: now },
    events: [{ type: 'marked-unavailable', host: state.host, at: now, failureDays }],
  };
}

/** Any sign of life clears the failure days and, if set, the unavailable mark. */
export function recordContact(state: AvailabilityState, now: number, source: ContactSource): AvailabilityResult {
  requireFinite('now', now);
  const cleared: AvailabilityState = { ...state, failureDays: [], unavailable: false, unavailableSince: null };
  if (!state.unavailable) return { state: state.failureDays.length === 0 ? state : cleared, events: [] };
  return { state: cleared, events: [{ type: 'marked-available', host: state.host, at: now, source }] };
}

/** Routes a delivery outcome: failure -> failure day; success/rejected -> contact; rate-limited -> nothing. */
export function applyAvailabilityOutcome(
  state: AvailabilityState,
  outcome: HostOutcome,
  now: number,
  config: AvailabilityConfig = DEFAULT_AVAILABILITY_CONFIG,
): AvailabilityResult {
  switch (requireOutcome(outcome)) {
    case 'failure':
      return recordDeliveryFailure(state, now, config);
    case 'success':
      return recordContact(state, now, 'delivery-success');
    case 'rejected':
      return recordContact(state, now, 'delivery-rejected');
    case 'rate-limited':
      requireFinite('now', now);
      return { state, events: [] };
  }
}

/** Validates an availability state read back from storage. */
export function parseAvailability(json: unknown): AvailabilityState {
  const o = requireRecord('availability state', json);
  requireVersion('availability state', o.version, 1);
  const failureDays = requireArray('availability state.failureDays', o.failureDays, 366).map((day, i) => {
    if (typeof day !== 'string' || !DAY_PATTERN.test(day)) {
      throw new MonitorDomainError('INVALID_STATE', `availability state.failureDays[${i}] must be a YYYY-MM-DD day`);
    }
    return day;
  });
  if (typeof o.unavailable !== 'boolean') throw new MonitorDomainError('INVALID_STATE', 'availability state.unavailable must be a boolean');
  const unavailableSince = requireNullableFinite('availability state.unavailableSince', o.unavailableSince, 'INVALID_STATE');
  if (o.unavailable !== (unavailableSince !== null)) {
    throw new MonitorDomainError('INVALID_STATE', 'availability state.unavailableSince must be set exactly when unavailable');
  }
  return {
    version: 1,
    host: normaliseHost(o.host, 'INVALID_STATE'),
    failureDays: [...new Set(failureDays)].sort(),
    unavailable: o.unavailable,
    unavailableSince,
  };
}
