import { Inject, Injectable, Logger } from '@nestjs/common';
import { INGRESS_REDIS, IngressSettings, type IngressRedis } from '@peerfed/ingress/data-access';

export const RATE_LIMIT_CLASSES = ['actor', 'outbox'] as const;
/** Endpoint classes with their own hourly budget per IP. */
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

export type RateLimitDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

const WINDOW_SECONDS = 3600;

/**
 * Fixed one-hour windows per IP and endpoint class, counted in Redis (INCR + EXPIRE). When Redis
 * is unreachable every request is allowed and the outage is logged: availability over limits.
 */
@Injectable()
export class RateLimiterService {
  private readonly logger = new Logger(RateLimiterService.name);

  constructor(
    @Inject(INGRESS_REDIS) private readonly redis: IngressRedis,
    private readonly settings: IngressSettings,
  ) {}

  /** Clock in epoch ms; tests replace it. */
  now: () => number = Date.now;

  limitOf(limitClass: RateLimitClass): number {
    return limitClass === 'actor' ? this.settings.rateLimits.actorPerHour : this.settings.rateLimits.outboxPerHour;
  }

  async take(limitClass: RateLimitClass, ip: string): Promise<RateLimitDecision> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const window = Math.floor(nowSeconds / WINDOW_SECONDS);
    const key = `ingress:rl:${limitClass}:${ip}:${window}`;
    let count: number;
    try {
      count = await this.redis.incr(key);
      if (count === 1) await this.redis.expire(key, WINDOW_SECONDS + 60);
    } catch (error) {
      this.logger.warn(`rate limit not enforced, Redis unavailable: ${(error as Error).message}`);
      return { allowed: true };
    }
    if (count <= this.limitOf(limitClass)) return { allowed: true };
    return { allowed: false, retryAfterSeconds: (window + 1) * WINDOW_SECONDS - nowSeconds };
  }
}
