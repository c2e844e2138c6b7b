import {
  addLatency,
  binValue,
  LATENCY_MAX_MS,
  LATENCY_RELATIVE_ACCURACY,
  latencyBin,
  latencyQuantiles,
  type LatencyHistogram,
} from './latency-histogram.util';
import { MonitorDomainError } from '../monitor-domain.exception';

/** mulberry32: a small seeded PRNG so the samples are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal latencies around `medianMs` (Box-Muller), the usual shape of response times. */
function latencies(count: number, medianMs: number, sigma: number, seed: number): number[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return medianMs * Math.exp(sigma * z);
  });
}

/** Nearest rank with integer percent arithmetic, so no floating-point rounding can shift the rank. */
function exactNearestRank(values: number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percent * sorted.length) / 100)) - 1];
}

const build = (values: number[]): LatencyHistogram => values.reduce<LatencyHistogram>((h, v) => addLatency(h, v), {});
const withinBound = (estimate: number, exact: number): boolean =>
  Math.abs(estimate - exact) <= LATENCY_RELATIVE_ACCURACY * exact + 1e-9;

describe('latency histogram', () => {
  it.each([
    ['fast API (median 40 ms)', 40, 0.6, 1],
    ['slow instance (median 900 ms)', 900, 1.0, 2],
    ['very spread (median 200 ms, sigma 2)', 200, 2.0, 3],
  ])('p50 and p95 of %s are within the documented 5 %% of the exact values', (_name, median, sigma, seed) => {
    const values = latencies(5000, median, sigma, seed).map((v) => Math.min(Math.max(v, 1), LATENCY_MAX_MS));
    const { samples, values: [p50, p95] } = latencyQuantiles([build(values)], [0.5, 0.95]);
    expect(samples).toBe(5000);
    expect(withinBound(p50 as number, exactNearestRank(values, 50))).toBe(true);
    expect(withinBound(p95 as number, exactNearestRank(values, 95))).toBe(true);
  });

  it('every value is within 5 % of its bin representative', () => {
    for (let ms = 1; ms < LATENCY_MAX_MS; ms *= 1.013) {
      expect(withinBound(binValue(latencyBin(ms)), ms)).toBe(true);
    }
  });

  it('merging histograms equals one histogram of all values', () => {
    const a = latencies(300, 50, 0.5, 7);
    const b = latencies(700, 500, 0.5, 8);
    expect(latencyQuantiles([build(a), build(b)], [0.5, 0.95])).toEqual(latencyQuantiles([build([...a, ...b])], [0.5, 0.95]));
  });

  it('stays small: 1 ms .. 120 s fits in about 120 bins', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => 1 + i * 12);
    expect(Object.keys(build(values)).length).toBeLessThanOrEqual(120);
  });

  it('sub-millisecond values are reported under 1 ms; huge ones are clamped to the maximum', () => {
    expect(latencyQuantiles([build([0, 0.2])], [1]).values[0]).toBeLessThan(1);
    const [max] = latencyQuantiles([build([10 * LATENCY_MAX_MS])], [1]).values;
    expect(withinBound(max as number, LATENCY_MAX_MS)).toBe(true);
  });

  it('p95 of 100 samples is the 95th value, not the 96th (no floating-point rank drift)', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i < 95 ? 10 : 1000));
    expect(withinBound(latencyQuantiles([build(values)], [0.95]).values[0] as number, 10)).toBe(true);
  });

  it('no samples, no percentile', () => {
    expect(latencyQuantiles([{}], [0.5])).toEqual({ samples: 0, values: [null] });
  });

  it('rejects negative or non-finite times and quantiles outside (0, 1]', () => {
    expect(() => latencyBin(-1)).toThrow(MonitorDomainError);
    expect(() => latencyBin(Number.NaN)).toThrow(MonitorDomainError);
    expect(() => latencyQuantiles([], [0])).toThrow(MonitorDomainError);
  });
});
