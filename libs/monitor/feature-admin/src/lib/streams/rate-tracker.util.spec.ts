import { RateTracker } from './rate-tracker.util';

describe('RateTracker', () => {
  it('computes the rate over the window from the newest sample old enough', () => {
    const tracker = new RateTracker(300_000, 5000);
    tracker.record('s', 0, 0);
    tracker.record('s', 600, 60_000);
    tracker.record('s', 1200, 120_000);
    expect(tracker.rate('s', 1800, 180_000, 60_000)).toBe(10);
    expect(tracker.rate('s', 1800, 180_000, 300_000)).toBe(10); // only 3 min kept so far: uses the oldest
  });

  it('has no rate without a sample, and ignores samples closer than the spacing', () => {
    const tracker = new RateTracker(300_000, 5000);
    expect(tracker.rate('s', 10, 1000, 60_000)).toBeNull();
    tracker.record('s', 0, 0);
    tracker.record('s', 50, 1000);
    expect(tracker.rate('s', 100, 10_000, 60_000)).toBe(10);
  });

  it('starts over when the counter goes down, and drops samples past keepMs', () => {
    const tracker = new RateTracker(60_000, 0);
    tracker.record('s', 500, 0);
    tracker.record('s', 10, 10_000);
    expect(tracker.rate('s', 20, 20_000, 60_000)).toBe(1);
    tracker.record('s', 30, 100_000);
    expect(tracker.rate('s', 30, 100_000, 60_000)).toBeNull();
  });
});
