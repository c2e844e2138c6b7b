import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './parse-retry-after.util';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0); // Sun, 22 Nov 2026 12:00:00 GMT

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('clamps negative seconds to 0', () => {
    expect(parseRetryAfter('-30', NOW)).toBe(0);
  });

  it('reads an IMF-fixdate', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:05:00 GMT', NOW)).toBe(5 * 60_000);
  });

  it('reads the obsolete RFC 850 form with a two-digit year', () => {
    expect(parseRetryAfter('Sunday, 22-Nov-26 12:00:30 GMT', NOW)).toBe(30_000);
  });

  it('reads the obsolete asctime form (space-padded day)', () => {
    expect(parseRetryAfter('Sun Nov  1 12:00:00 2026', Date.UTC(2026, 10, 1, 11, 59, 0))).toBe(60_000);
  });

  it('a date in the past means retry now (0)', () => {
    expect(parseRetryAfter('Sat, 21 Nov 2026 12:00:00 GMT', NOW)).toBe(0);
  });

  it.each(['', '   ', 'soon', '1.5', '1e3', '+5', '5 seconds', 'Sun, 31 Feb 2026 12:00:00 GMT', 'Sun, 22 Nov 2026 25:00:00 GMT',
    'Sun, 22 Nov 2026 12:00:00 UTC', '2026-11-22T12:05:00Z', 'x'.repeat(200)])('rejects %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('a missing header is undefined', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });

  it('caps absurd values at one day', () => {
    expect(parseRetryAfter('99999999999999999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('86401', NOW)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('a cap can be given', () => {
    expect(parseRetryAfter('600', NOW, 60_000)).toBe(60_000);
  });
});
