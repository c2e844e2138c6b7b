import { emptyInstanceHealth, healthSnapshot, parseInstanceHealth, recordHealthOutcome, type HealthObservation } from './instance-health.util';
import { type InstanceHealthState } from './instance-health.types';
import { LATENCY_RELATIVE_ACCURACY } from './latency-histogram.util';
import { MonitorDomainError } from '../monitor-domain.exception';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0); // a minute and hour boundary

function record(state: InstanceHealthState, events: [number, HealthObservation][]): InstanceHealthState {
  return events.reduce((s, [at, observation]) => recordHealthOutcome(s, observation, at), state);
}

const ok = (responseTimeMs = 100): HealthObservation => ({ outcome: 'success', responseTimeMs });
const fail: HealthObservation = { outcome: 'failure' };

describe('instance health: counts and rates', () => {
  it('counts each outcome kind; 429s are not attempts', () => {
    const state = record(emptyInstanceHealth('remote.example'), [
      [T0, ok()], [T0 + 1, ok()], [T0 + 2, ok()], [T0 + 3, fail],
      [T0 + 4, { outcome: 'rejected', responseTimeMs: 30 }], [T0 + 5, { outcome: 'rate-limited', responseTimeMs: 5 }],
    ]);
    const w = healthSnapshot(state, T0 + 10).windows['5m'];
    expect(w).toMatchObject({ success: 3, failure: 1, rejected: 1, rateLimited: 1, attempts: 5, successRate: 0.6, latencySamples: 5 });
  });

  it('an empty window has no rate and no percentiles', () => {
    expect(healthSnapshot(emptyInstanceHealth('r.example'), T0).windows['1h']).toEqual({
      success: 0, failure: 0, rejected: 0, rateLimited: 0, attempts: 0, successRate: null, latencySamples: 0, p50Ms: null, p95Ms: null,
    });
  });
});

describe('instance health: windows roll over', () => {
  const once = (): InstanceHealthState => record(emptyInstanceHealth('r.example'), [[T0, fail]]);
  const failures = (state: InstanceHealthState, at: number): number[] =>
    (['5m', '1h', '24h'] as const).map((w) => healthSnapshot(state, at).windows[w].failure);

  it('an outcome is in all three windows at first', () => {
    expect(failures(once(), T0)).toEqual([1, 1, 1]);
  });

  it('leaves the 5 min window once its minute is 5 minutes old', () => {
    expect(failures(once(), T0 + 5 * MINUTE - 1)).toEqual([1, 1, 1]);
    expect(failures(once(), T0 + 5 * MINUTE)).toEqual([0, 1, 1]);
  });

  it('leaves the 1 h window once its minute is an hour old', () => {
    expect(failures(once(), T0 + HOUR - 1)).toEqual([0, 1, 1]);
    expect(failures(once(), T0 + HOUR)).toEqual([0, 0, 1]);
  });

  it('leaves the 24 h window once its hour is a day old', () => {
    expect(failures(once(), T0 + DAY - 1)).toEqual([0, 0, 1]);
    expect(failures(once(), T0 + DAY)).toEqual([0, 0, 0]);
  });

  it('old buckets are dropped as new ones arrive, so memory stays bounded', () => {
    let state = emptyInstanceHealth('r.example');
    for (let at = T0; at < T0 + 3 * DAY; at += MINUTE) state = recordHealthOutcome(state, ok(), at);
    expect(state.minuteBuckets).toHaveLength(60);
    expect(state.hourBuckets).toHaveLength(24);
    const snapshot = healthSnapshot(state, T0 + 3 * DAY - MINUTE);
    expect(snapshot.windows['5m'].success).toBe(5);
    expect(snapshot.windows['1h'].success).toBe(60);
    // 23 full hours plus the current hour's 60 minutes
    expect(snapshot.windows['24h'].success).toBe(24 * 60);
  });

  it('a late observation (clock behind) lands in its own bucket; one older than the tier is dropped', () => {
    let state = record(emptyInstanceHealth('r.example'), [[T0 + 30 * MINUTE, ok()]]);
    state = recordHealthOutcome(state, fail, T0 + 10 * MINUTE);
    expect(state.minuteBuckets.map((b) => b.start)).toEqual([T0 + 10 * MINUTE, T0 + 30 * MINUTE]);
    const stale = recordHealthOutcome(state, fail, T0 - DAY);
    expect(stale.hourBuckets).toEqual(state.hourBuckets);
    expect(stale.minuteBuckets).toEqual(state.minuteBuckets);
  });
});

describe('instance health: response times', () => {
  it('p50 and p95 per window, within the documented bound', () => {
    // 5 min ago: slow; now: fast. The 5 min window sees only the fast ones, the hour both.
    const slow: [number, HealthObservation][] = Array.from({ length: 100 }, (_, i) => [T0 + i, ok(2000)]);
    const fast: [number, HealthObservation][] = Array.from({ length: 100 }, (_, i) => [T0 + 10 * MINUTE + i, ok(20 + (i % 10))]);
    const snapshot = healthSnapshot(record(emptyInstanceHealth('r.example'), [...slow, ...fast]), T0 + 10 * MINUTE + 1000);
    const near = (value: number | null, exact: number): boolean => value !== null && Math.abs(value - exact) <= LATENCY_RELATIVE_ACCURACY * exact;
    expect(near(snapshot.windows['5m'].p50Ms, 24)).toBe(true);
    expect(near(snapshot.windows['5m'].p95Ms, 29)).toBe(true);
    expect(near(snapshot.windows['1h'].p50Ms, 29)).toBe(true);
    expect(near(snapshot.windows['1h'].p95Ms, 2000)).toBe(true);
  });

  it('failures without a response add no latency sample', () => {
    const state = record(emptyInstanceHealth('r.example'), [[T0, fail], [T0 + 1, fail]]);
    expect(healthSnapshot(state, T0 + 2).windows['5m']).toMatchObject({ latencySamples: 0, p50Ms: null });
  });
});

describe('instance health: streaks and last times', () => {
  it('tracks last success, last failure, the failure streak and when it began', () => {
    const state = record(emptyInstanceHealth('r.example'), [[T0, ok()], [T0 + MINUTE, fail], [T0 + 2 * MINUTE, fail]]);
    expect(healthSnapshot(state, T0 + 3 * MINUTE)).toMatchObject({
      lastSuccessAt: T0, lastFailureAt: T0 + 2 * MINUTE, consecutiveFailures: 2, firstFailureAt: T0 + MINUTE,
    });
  });

  it('a 429 does not interrupt the streak; a success or a 4xx answer ends it', () => {
    const base = record(emptyInstanceHealth('r.example'), [[T0, fail], [T0 + 1, { outcome: 'rate-limited' }], [T0 + 2, fail]]);
    expect(base).toMatchObject({ consecutiveFailures: 2, firstFailureAt: T0 });
    expect(recordHealthOutcome(base, ok(), T0 + 3)).toMatchObject({ consecutiveFailures: 0, firstFailureAt: null });
    expect(recordHealthOutcome(base, { outcome: 'rejected' }, T0 + 3)).toMatchObject({ consecutiveFailures: 0, firstFailureAt: null });
  });

  it('rejects a bad observation', () => {
    const state = emptyInstanceHealth('r.example');
    expect(() => recordHealthOutcome(state, { outcome: 'success', responseTimeMs: -5 }, T0)).toThrow(MonitorDomainError);
    expect(() => recordHealthOutcome(state, { outcome: 'meh' as 'success' }, T0)).toThrow(MonitorDomainError);
    expect(() => recordHealthOutcome(state, ok(), Number.NaN)).toThrow(MonitorDomainError);
  });
});

describe('parseInstanceHealth', () => {
  const sample = (): InstanceHealthState =>
    record(emptyInstanceHealth('r.example'), [[T0, ok(120)], [T0 + 2 * HOUR, fail], [T0 + 2 * HOUR + 1, { outcome: 'rejected', responseTimeMs: 8 }]]);

  it('round-trips through JSON', () => {
    const state = sample();
    expect(parseInstanceHealth(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  type Json = Record<string, unknown> & { minuteBuckets: Record<string, unknown>[]; hourBuckets: unknown[] };
  it.each<[string, (s: Json) => void]>([
    ['a misaligned bucket', (s) => (s.minuteBuckets[0].start = T0 + 1)],
    ['a bad histogram bin', (s) => (s.minuteBuckets[0].latency = { '-3': 1 })],
    ['a fractional count', (s) => (s.minuteBuckets[0].success = 0.5)],
    ['too many buckets', (s) => (s.minuteBuckets = Array.from({ length: 61 }, () => s.minuteBuckets[0]))],
    ['unsorted buckets', (s) => s.hourBuckets.reverse()],
    ['a streak without its start', (s) => (s.consecutiveFailures = 2)],
  ])('rejects %s', (_name, corrupt) => {
    const json = JSON.parse(JSON.stringify(sample())) as Json;
    expect(json.hourBuckets).toHaveLength(2);
    corrupt(json);
    expect(() => parseInstanceHealth(json)).toThrow(MonitorDomainError);
  });
});
