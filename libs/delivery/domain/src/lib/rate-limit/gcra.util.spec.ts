import { gcraDecide, type GcraDecision, type GcraLimit } from './gcra.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

/** Replays requests at the given times, carrying the stored TAT like Redis would. */
function replay(limit: GcraLimit, times: number[]): GcraDecision[] {
  let tat: number | null = null;
  return times.map((now) => {
    const decision = gcraDecide(tat, now, limit);
    tat = decision.tat;
    return decision;
  });
}

describe('gcraDecide', () => {
  it('allows a burst of `limit` from idle, then denies with the time to wait', () => {
    // actor documents: 100 per hour -> one per 36 s
    const decisions = replay({ limit: 100, periodMs: HOUR }, Array(101).fill(T0));
    expect(decisions.slice(0, 100).every((d) => d.allowed)).toBe(true);
    expect(decisions[99].remaining).toBe(0);
    expect(decisions[100]).toMatchObject({ allowed: false, retryInMs: 36_000, remaining: 0 });
  });

  it('the first request leaves limit-1 and a reset of one interval', () => {
    expect(gcraDecide(null, T0, { limit: 300, periodMs: 300_000 })).toEqual({
      allowed: true, tat: T0 + 1000, retryInMs: 0, remaining: 299, resetInMs: 1000,
    });
  });

  it('a denied request does not move the stored TAT', () => {
    const [, second] = replay({ limit: 1, periodMs: 1000 }, [T0, T0 + 100]);
    expect(second).toMatchObject({ allowed: false, tat: T0 + 1000, retryInMs: 900 });
  });

  it('after waiting retryInMs the request is allowed', () => {
    const [, denied] = replay({ limit: 1, periodMs: 1000 }, [T0, T0 + 100]);
    expect(gcraDecide(denied.tat, T0 + 100 + denied.retryInMs, { limit: 1, periodMs: 1000 }).allowed).toBe(true);
  });

  it('a steady rate at the limit is always allowed', () => {
    const times = Array.from({ length: 50 }, (_, i) => T0 + i * 1000);
    expect(replay({ limit: 1, periodMs: 1000, burst: 1 }, times).every((d) => d.allowed)).toBe(true);
  });

  it('burst smaller than limit narrows back-to-back requests', () => {
    const decisions = replay({ limit: 60, periodMs: 60_000, burst: 5 }, Array(6).fill(T0));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
  });

  it('an idle key is fully replenished after resetInMs', () => {
    const decisions = replay({ limit: 10, periodMs: 10_000 }, Array(10).fill(T0));
    const last = decisions[9];
    expect(gcraDecide(last.tat, T0 + last.resetInMs, { limit: 10, periodMs: 10_000 }).remaining).toBe(9);
  });

  it('rejects costs above the burst and bad limits', () => {
    expect(() => gcraDecide(null, T0, { limit: 5, periodMs: 1000 }, 6)).toThrow(DeliveryDomainError);
    expect(() => gcraDecide(null, T0, { limit: 0, periodMs: 1000 })).toThrow(DeliveryDomainError);
    expect(() => gcraDecide(Number.NaN, T0, { limit: 1, periodMs: 1000 })).toThrow(DeliveryDomainError);
  });
});
