import { type LatencyHistogram } from './latency-histogram.util';

export interface HealthCounts {
  readonly success: number;
  readonly failure: number;
  readonly rejected: number;
  readonly rateLimited: number;
}

export interface HealthBucket extends HealthCounts {
  /** Epoch ms at which this bucket's interval starts (a multiple of the tier's bucket size). */
  readonly start: number;
  readonly latency: LatencyHistogram;
}

/** Plain JSON, one per remote host. Bounded: at most 60 + 24 buckets of at most ~118 bins each. */
export interface InstanceHealthState {
  readonly version: 1;
  readonly host: string;
  /** 1-minute buckets for the last hour (serve the 5 min and 1 h windows), ascending. */
  readonly minuteBuckets: readonly HealthBucket[];
  /** 1-hour buckets for the last day (serve the 24 h window), ascending. */
  readonly hourBuckets: readonly HealthBucket[];
  readonly lastSuccessAt: number | null;
  readonly lastFailureAt: number | null;
  /** Failures since the last success or rejected answer (429s do not interrupt the streak). */
  readonly consecutiveFailures: number;
  /** First failure of the current streak; null when the streak is 0. */
  readonly firstFailureAt: number | null;
}

export type HealthWindow = '5m' | '1h' | '24h';

export interface WindowSummary extends HealthCounts {
  /** success + failure + rejected: requests that got a verdict (429s are deferrals, not attempts). */
  readonly attempts: number;
  /** success / attempts; null without attempts. */
  readonly successRate: number | null;
  /** Requests with a measured response time in the window. */
  readonly latencySamples: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

export interface HealthSnapshot {
  readonly host: string;
  readonly at: number;
  readonly windows: Readonly<Record<HealthWindow, WindowSummary>>;
  readonly lastSuccessAt: number | null;
  readonly lastFailureAt: number | null;
  readonly consecutiveFailures: number;
  readonly firstFailureAt: number | null;
}
