interface Sample {
  readonly at: number;
  readonly count: number;
}

/**
 * Processing rate of a counter that only grows (a group's entries-read), from samples in memory:
 * the rate over a window uses the newest sample at least that old (or the oldest one kept when the
 * process has not been up that long). Bounded: samples older than the longest window are dropped.
 */
export class RateTracker {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly keepMs: number, private readonly minSpacingMs: number) {}

  record(key: string, count: number, at: number): void {
    const list = this.samples.get(key) ?? [];
    const last = list[list.length - 1];
    if (last && at - last.at < this.minSpacingMs) return;
    // A counter that went down was reset (group re-created): start over.
    const kept = last && count < last.count ? [] : list.filter((s) => at - s.at <= this.keepMs);
    kept.push({ at, count });
    this.samples.set(key, kept);
  }

  /** Per second over about `windowMs`, or null with fewer than two samples. */
  rate(key: string, current: number, now: number, windowMs: number): number | null {
    const list = this.samples.get(key) ?? [];
    const base = [...list].reverse().find((s) => now - s.at >= windowMs) ?? list[0];
    if (!base || now <= base.at || current < base.count) return null;
    return (current - base.count) / ((now - base.at) / 1000);
  }
}
