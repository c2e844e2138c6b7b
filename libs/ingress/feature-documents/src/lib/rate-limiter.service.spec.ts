import { type IngressRedis, type IngressSettings } from '@peerfed/ingress/data-access';
import { RateLimiterService } from './rate-limiter.service';

const settings = { rateLimits: { actorPerHour: 2, outboxPerHour: 1 } } as IngressSettings;

function counterRedis(): { redis: IngressRedis; expire: jest.Mock } {
  const counts = new Map<string, number>();
  const expire = jest.fn(() => Promise.resolve(1));
  const incr = jest.fn((key: string) => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return Promise.resolve(counts.get(key));
  });
  return { redis: { incr, expire } as unknown as IngressRedis, expire };
}

describe('RateLimiterService', () => {
  it('allows the hourly budget per IP and class, then refuses with the seconds left in the window', async () => {
    const { redis, expire } = counterRedis();
    const limiter = new RateLimiterService(redis, settings);
    limiter.now = () => Date.UTC(2026, 10, 22, 15, 40, 0);
    expect(await limiter.take('actor', '10.0.0.1')).toEqual({ allowed: true });
    expect(await limiter.take('actor', '10.0.0.1')).toEqual({ allowed: true });
    expect(await limiter.take('actor', '10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 20 * 60 });
    expect(await limiter.take('actor', '10.0.0.2')).toEqual({ allowed: true });
    expect(await limiter.take('outbox', '10.0.0.1')).toEqual({ allowed: true });
    expect(await limiter.take('outbox', '10.0.0.1')).toMatchObject({ allowed: false });
    expect(expire).toHaveBeenCalledTimes(3);
  });

  it('starts a new budget in the next window', async () => {
    const { redis } = counterRedis();
    const limiter = new RateLimiterService(redis, settings);
    limiter.now = () => Date.UTC(2026, 10, 22, 15, 59, 59);
    await limiter.take('outbox', 'ip');
    expect(await limiter.take('outbox', 'ip')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    limiter.now = () => Date.UTC(2026, 10, 22, 16, 0, 0);
    expect(await limiter.take('outbox', 'ip')).toEqual({ allowed: true });
  });

  it('fails open when Redis is down', async () => {
    const redis = { incr: jest.fn(() => Promise.reject(new Error('Connection is closed.'))) } as unknown as IngressRedis;
    const limiter = new RateLimiterService(redis, settings);
    for (let i = 0; i < 5; i++) expect(await limiter.take('outbox', 'ip')).toEqual({ allowed: true });
  });
});
