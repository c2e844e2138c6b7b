import { type RateDecision, type RateLimit } from '@peerfed/delivery/data-access';
import { type DeliveryClock } from './delivery-settings.types';

export interface GlobalLeaseSource {
  leaseGlobal(global: RateLimit, wanted: number, leaseMs: number, now: number): Promise<{ granted: number; retryInMs: number }>;
}

/** Most requests one lease asks for: a replica never sits on much of the shared budget. */
const MAX_LEASE = 64;

/**
 * The global rate limit without a Redis round trip per delivery: requests are leased from the
 * shared log in small batches (RateLimiterRepository.leaseGlobal) and spent here. A lease is
 * valid for a tenth of the window (at most 100 ms) and each one asks for twice what the previous
 * one was used for, so a quiet replica leases one at a time and leaves the budget to the others;
 * leased requests left over when a lease ends are simply lost (the limit gets stricter, never
 * looser). Concurrent callers share one lease request.
 */
export class GlobalRateLease {
  private tokens = 0;
  private expiresAt = 0;
  private size = 1;
  private usedOfLease = 0;
  private refilling: Promise<RateDecision> | undefined;

  constructor(
    private readonly source: GlobalLeaseSource,
    private readonly limit: RateLimit,
    private readonly clock: DeliveryClock,
  ) {}

  private get leaseMs(): number {
    return Math.max(1, Math.min(100, Math.floor(this.limit.windowMs / 10)));
  }

  async take(): Promise<RateDecision> {
    for (;;) {
      if (this.tokens > 0 && this.clock.now() < this.expiresAt) {
        this.tokens -= 1;
        this.usedOfLease += 1;
        return { allowed: true };
      }
      this.refilling ??= this.refill().finally(() => {
        this.refilling = undefined;
      });
      const refilled = await this.refilling;
      if (!refilled.allowed) return refilled;
    }
  }

  private async refill(): Promise<RateDecision> {
    this.size = Math.min(MAX_LEASE, Math.max(1, 2 * this.usedOfLease));
    const now = this.clock.now();
    const { granted, retryInMs } = await this.source.leaseGlobal(this.limit, this.size, this.leaseMs, now);
    if (granted === 0) return { allowed: false, retryInMs };
    this.tokens = granted;
    this.expiresAt = now + this.leaseMs;
    this.usedOfLease = 0;
    return { allowed: true };
  }
}
