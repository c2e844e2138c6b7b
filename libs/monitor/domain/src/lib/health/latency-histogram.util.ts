import { MonitorDomainError } from '../monitor-domain.exception';

/**
 * Log-scale latency histogram (the DDSketch mapping): bin i holds values in (g^(i-1), g^i] with
 * g = (1+a)/(1-a), and reports 2g^i/(g+1). Every value in a bin is then within a relative error
 * of `a` of the reported one, so a quantile computed by nearest rank is within LATENCY_RELATIVE_ACCURACY
 * (5 %) of the true sample at that rank. Values below LATENCY_MIN_MS share bin 0 (reported as
 * ~0.95 ms, absolute error < 1 ms); values above LATENCY_MAX_MS are clamped to it.
 * 1 ms .. 120 s needs at most 118 bins; stored sparsely (only bins with counts).
 */
export const LATENCY_RELATIVE_ACCURACY = 0.05;
export const LATENCY_MIN_MS = 1;
export const LATENCY_MAX_MS = 120_000;

const GAMMA = (1 + LATENCY_RELATIVE_ACCURACY) / (1 - LATENCY_RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
const MAX_BIN = Math.ceil(Math.log(LATENCY_MAX_MS) / LOG_GAMMA);

/** Bin index (as a JSON object key) -> count. */
export type LatencyHistogram = Readonly<Record<string, number>>;

export function latencyBin(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new MonitorDomainError('INVALID_INPUT', `response time must be a finite number >= 0, got ${String(ms)}`);
  }
  const clamped = Math.min(Math.max(ms, LATENCY_MIN_MS), LATENCY_MAX_MS);
  return Math.min(Math.max(Math.ceil(Math.log(clamped) / LOG_GAMMA), 0), MAX_BIN);
}

export function binValue(bin: number): number {
  return (2 * GAMMA ** bin) / (GAMMA + 1);
}

export function addLatency(histogram: LatencyHistogram, ms: number): LatencyHistogram {
  const key = String(latencyBin(ms));
  return { ...histogram, [key]: (histogram[key] ?? 0) + 1 };
}

export function isValidBinKey(key: string): boolean {
  return /^\d+$/.test(key) && Number(key) <= MAX_BIN;
}

/** Nearest-rank quantiles (q in (0, 1]) over several histograms; null when there is no sample. */
export function latencyQuantiles(histograms: readonly LatencyHistogram[], qs: readonly number[]): { samples: number; values: (number | null)[] } {
  const counts = new Map<number, number>();
  let samples = 0;
  for (const histogram of histograms) {
    for (const [key, count] of Object.entries(histogram)) {
      counts.set(Number(key), (counts.get(Number(key)) ?? 0) + count);
      samples += count;
    }
  }
  const bins = [...counts.keys()].sort((a, b) => a - b);
  const values = qs.map((q) => {
    if (!(q > 0 && q <= 1)) throw new MonitorDomainError('INVALID_INPUT', `quantile must be in (0, 1], got ${q}`);
    if (samples === 0) return null;
    // The epsilon keeps 0.95 * 100 (= 95.00000000000001 in floating point) at rank 95.
    const rank = Math.max(1, Math.ceil(q * samples - 1e-9));
    let seen = 0;
    for (const bin of bins) {
      seen += counts.get(bin) ?? 0;
      if (seen >= rank) return binValue(bin);
    }
    return binValue(bins[bins.length - 1]);
  });
  return { samples, values };
}
