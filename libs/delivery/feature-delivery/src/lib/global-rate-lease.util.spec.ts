import { GlobalRateLease, type GlobalLeaseSource } from './global-rate-lease.util';

class FakeSource implements GlobalLeaseSource {
  readonly calls: Array<{ wanted: number; leaseMs: number; now: number }> = [];
  budget = Number.POSITIVE_INFINITY;

  async leaseGlobal(_global: unknown, wanted: number, leaseMs: number, now: number): Promise<{ granted: number; retryInMs: number }> {
    this.calls.push({ wanted, leaseMs, now });
    await Promise.resolve();
    const granted = Math.min(wanted, this.budget);
    this.budget -= granted;
    return granted === 0 ? { granted: 0, retryInMs: 250 } : { granted, retryInMs: 0 };
  }
}

describe('GlobalRateLease', () => {
  const limit = { limit: 3000, windowMs: 1_000 };
  let now = 1_000;
  const clock = { now: () => now, random: () => 0.5 };

  beforeEach(() => {
    now = 1_000;
  });

  it('grows its leases while they are used up and shares one lease request between concurrent callers', async () => {
    const source = new FakeSource();
    const lease = new GlobalRateLease(source, limit, clock);
    const results = await Promise.all(Array.from({ length: 15 }, () => lease.take()));
    expect(results.every((r) => r.allowed)).toBe(true);
    // 1 + 2 + 4 + 8 = 15 requests in four round trips, each valid for a tenth of the window.
    expect(source.calls.map((c) => c.wanted)).toEqual([1, 2, 4, 8]);
    expect(source.calls.every((c) => c.leaseMs === 100)).toBe(true);
  });

  it('drops what is left when a lease ends, asks for less next time, and passes a denial on', async () => {
    const source = new FakeSource();
    const lease = new GlobalRateLease(source, limit, clock);
    await Promise.all(Array.from({ length: 7 }, () => lease.take()));
    expect(source.calls.map((c) => c.wanted)).toEqual([1, 2, 4]);
    now += 100;
    // The 4-request lease was used 4 times: ask for 8, use one, let it expire.
    expect(await lease.take()).toEqual({ allowed: true });
    now += 100;
    source.budget = 0;
    expect(await lease.take()).toEqual({ allowed: false, retryInMs: 250 });
    expect(source.calls.map((c) => c.wanted)).toEqual([1, 2, 4, 8, 2]);
  });
});
