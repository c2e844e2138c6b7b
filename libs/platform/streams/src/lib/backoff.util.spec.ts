import { backoffDelay } from './backoff.util';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 2000 };

  it('doubles per attempt, between half and all of the ceiling', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelay(6, options, () => 1)).toBe(2000);
    expect(backoffDelay(1000, options, () => 1)).toBe(2000);
    expect(backoffDelay(1000, options, () => 0)).toBe(1000);
  });

  it('spreads retries of consumers that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(5, options)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(800);
      expect(delay).toBeLessThanOrEqual(1600);
    }
  });
});
