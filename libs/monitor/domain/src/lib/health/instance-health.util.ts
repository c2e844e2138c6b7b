import {
  type HealthBucket,
  type HealthCounts,
  type HealthSnapshot,
  type HealthWindow,
  type InstanceHealthState,
  type WindowSummary,
} from './instance-health.types';
import { addLatency, isValidBinKey, latencyQuantiles, type LatencyHistogram } from './latency-histogram.util';
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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Tier {
  readonly field: 'minuteBuckets' | 'hourBuckets';
  readonly sizeMs: number;
  readonly count: number;
}
const MINUTE_TIER: Tier = { field: 'minuteBuckets', sizeMs: MINUTE, count: 60 };
const HOUR_TIER: Tier = { field: 'hourBuckets', sizeMs: HOUR, count: 24 };

/**
 * A window is its tier's newest `spanMs / sizeMs` buckets, the current partial one included, so it
 * covers between spanMs - sizeMs and spanMs of history: 5 min = 4-5 min, 1 h = 59-60 min, 24 h = 23-24 h.
 */
export const HEALTH_WINDOWS: Readonly<Record<HealthWindow, { readonly tier: Tier; readonly spanMs: number }>> = {
  '5m': { tier: MINUTE_TIER, spanMs: 5 * MINUTE },
  '1h': { tier: MINUTE_TIER, spanMs: HOUR },
  '24h': { tier: HOUR_TIER, spanMs: 24 * HOUR },
};

const COUNTER_OF: Readonly<Record<HostOutcome, keyof HealthCounts>> = {
  success: 'success',
  failure: 'failure',
  rejected: 'rejected',
  'rate-limited': 'rateLimited',
};

export interface HealthObservation {
  readonly outcome: HostOutcome;
  /** Time to the response; omit when there was none (timeout, connection error). */
  readonly responseTimeMs?: number;
}

export function emptyInstanceHealth(host: string): InstanceHealthState {
  return {
    version: 1,
    host: normaliseHost(host),
    minuteBuckets: [],
    hourBuckets: [],
    lastSuccessAt: null,
    lastFailureAt: null,
    consecutiveFailures: 0,
    firstFailureAt: null,
  };
}

/** Adds one delivery outcome observed at `now`. */
export function recordHealthOutcome(state: InstanceHealthState, observation: HealthObservation, now: number): InstanceHealthState {
  requireFinite('now', now);
  const outcome = requireOutcome(observation.outcome);
  const rt = observation.responseTimeMs;
  if (rt !== undefined) requireFinite('responseTimeMs', rt);
  const update = (bucket: HealthBucket): HealthBucket => {
    const counter = COUNTER_OF[outcome];
    return { ...bucket, [counter]: bucket[counter] + 1, latency: rt === undefined ? bucket.latency : addLatency(bucket.latency, rt) };
  };

  const streak = streakAfter(state, outcome, now);
  return {
    ...state,
    minuteBuckets: updateTier(state.minuteBuckets, MINUTE_TIER, now, update),
    hourBuckets: updateTier(state.hourBuckets, HOUR_TIER, now, update),
    lastSuccessAt: outcome === 'success' ? Math.max(now, state.lastSuccessAt ?? now) : state.lastSuccessAt,
    lastFailureAt: outcome === 'failure' ? Math.max(now, state.lastFailureAt ?? now) : state.lastFailureAt,
    ...streak,
  };
}

function streakAfter(state: InstanceHealthState, outcome: HostOutcome, now: number): Pick<InstanceHealthState, 'consecutiveFailures' | 'firstFailureAt'> {
  switch (outcome) {
    case 'failure':
      return { consecutiveFailures: state.consecutiveFailures + 1, firstFailureAt: state.firstFailureAt ?? now };
    case 'success':
    case 'rejected':
      return { consecutiveFailures: 0, firstFailureAt: null };
    case 'rate-limited':
      return { consecutiveFailures: state.consecutiveFailures, firstFailureAt: state.firstFailureAt };
  }
}

function updateTier(
  buckets: readonly HealthBucket[],
  tier: Tier,
  now: number,
  update: (bucket: HealthBucket) => HealthBucket,
): HealthBucket[] {
  const start = Math.floor(now / tier.sizeMs) * tier.sizeMs;
  const newest = Math.max(start, buckets.at(-1)?.start ?? start);
  const oldestKept = newest - (tier.count - 1) * tier.sizeMs;
  const kept = buckets.filter((b) => b.start >= oldestKept);
  // An observation older than the tier (a clock behind the newest bucket by over the tier span) is dropped.
  if (start < oldestKept) return kept;
  const index = kept.findIndex((b) => b.start >= start);
  if (index >= 0 && kept[index].start === start) {
    kept[index] = update(kept[index]);
  } else {
    const fresh = update({ start, success: 0, failure: 0, rejected: 0, rateLimited: 0, latency: {} });
    kept.splice(index < 0 ? kept.length : index, 0, fresh);
  }
  return kept;
}

/** Counts, success rate and p50/p95 per window at `now`, plus the streak fields. */
export function healthSnapshot(state: InstanceHealthState, now: number): HealthSnapshot {
  requireFinite('now', now);
  const windows = Object.fromEntries(
    (Object.keys(HEALTH_WINDOWS) as HealthWindow[]).map((name) => [name, summarise(state, name, now)]),
  ) as Record<HealthWindow, WindowSummary>;
  return {
    host: state.host,
    at: now,
    windows,
    lastSuccessAt: state.lastSuccessAt,
    lastFailureAt: state.lastFailureAt,
    consecutiveFailures: state.consecutiveFailures,
    firstFailureAt: state.firstFailureAt,
  };
}

function summarise(state: InstanceHealthState, name: HealthWindow, now: number): WindowSummary {
  const { tier, spanMs } = HEALTH_WINDOWS[name];
  const currentStart = Math.floor(now / tier.sizeMs) * tier.sizeMs;
  const from = currentStart - spanMs + tier.sizeMs;
  const inWindow = state[tier.field].filter((b) => b.start >= from && b.start <= currentStart);
  const counts: HealthCounts = {
    success: sum(inWindow, 'success'),
    failure: sum(inWindow, 'failure'),
    rejected: sum(inWindow, 'rejected'),
    rateLimited: sum(inWindow, 'rateLimited'),
  };
  const attempts = counts.success + counts.failure + counts.rejected;
  const { samples, values } = latencyQuantiles(inWindow.map((b) => b.latency), [0.5, 0.95]);
  return {
    ...counts,
    attempts,
    successRate: attempts === 0 ? null : counts.success / attempts,
    latencySamples: samples,
    p50Ms: values[0],
    p95Ms: values[1],
  };
}

function sum(buckets: readonly HealthBucket[], key: keyof HealthCounts): number {
  return buckets.reduce((total, b) => total + b[key], 0);
}

/** Validates an instance health state read back from storage. */
export function parseInstanceHealth(json: unknown): InstanceHealthState {
  const o = requireRecord('health state', json);
  requireVersion('health state', o.version, 1);
  const consecutiveFailures = requireInteger('health state.consecutiveFailures', o.consecutiveFailures, 0, 'INVALID_STATE');
  const firstFailureAt = requireNullableFinite('health state.firstFailureAt', o.firstFailureAt, 'INVALID_STATE');
  if ((consecutiveFailures === 0) !== (firstFailureAt === null)) {
    throw new MonitorDomainError('INVALID_STATE', 'health state.firstFailureAt must be set exactly when consecutiveFailures > 0');
  }
  return {
    version: 1,
    host: normaliseHost(o.host, 'INVALID_STATE'),
    minuteBuckets: parseBuckets('health state.minuteBuckets', o.minuteBuckets, MINUTE_TIER),
    hourBuckets: parseBuckets('health state.hourBuckets', o.hourBuckets, HOUR_TIER),
    lastSuccessAt: requireNullableFinite('health state.lastSuccessAt', o.lastSuccessAt, 'INVALID_STATE'),
    lastFailureAt: requireNullableFinite('health state.lastFailureAt', o.lastFailureAt, 'INVALID_STATE'),
    consecutiveFailures,
    firstFailureAt,
  };
}

function parseBuckets(name: string, value: unknown, tier: Tier): HealthBucket[] {
  const buckets = requireArray(name, value, tier.count).map((raw, i): HealthBucket => {
    const path = `${name}[${i}]`;
    const b = requireRecord(path, raw);
    const start = requireFinite(`${path}.start`, b.start, 'INVALID_STATE');
    if (start % tier.sizeMs !== 0) throw new MonitorDomainError('INVALID_STATE', `${path}.start is not aligned to ${tier.sizeMs} ms`);
    const latency = requireRecord(`${path}.latency`, b.latency);
    const histogram: Record<string, number> = {};
    for (const [key, count] of Object.entries(latency)) {
      if (!isValidBinKey(key)) throw new MonitorDomainError('INVALID_STATE', `${path}.latency has an invalid bin ${key}`);
      histogram[key] = requireInteger(`${path}.latency.${key}`, count, 1, 'INVALID_STATE');
    }
    return {
      start,
      success: requireInteger(`${path}.success`, b.success, 0, 'INVALID_STATE'),
      failure: requireInteger(`${path}.failure`, b.failure, 0, 'INVALID_STATE'),
      rejected: requireInteger(`${path}.rejected`, b.rejected, 0, 'INVALID_STATE'),
      rateLimited: requireInteger(`${path}.rateLimited`, b.rateLimited, 0, 'INVALID_STATE'),
      latency: histogram as LatencyHistogram,
    };
  });
  for (let i = 1; i < buckets.length; i++) {
    if (buckets[i].start <= buckets[i - 1].start) throw new MonitorDomainError('INVALID_STATE', `${name} must be strictly ascending`);
  }
  return buckets;
}
