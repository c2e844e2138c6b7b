import { type HealthIndicatorResult } from '@nestjs/terminus';

/** One readiness check (Postgres, Redis, consumer loops ...); /health/ready runs them all. */
export interface ReadinessIndicator {
  check(): PromiseLike<HealthIndicatorResult>;
}

/** The consumer-loop health a transport reports (RedisStreamsServer implements it). */
export interface ConsumerHealthReport {
  readonly up: boolean;
  readonly loops: unknown;
}

/** Anything that runs consumer loops and can tell whether they are alive. */
export interface ConsumerHealthSource {
  health(): ConsumerHealthReport;
}
