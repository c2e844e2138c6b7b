import { requireFinite } from '../input.util';

/** A Retry-After longer than this is treated as this: a remote cannot park our queue for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

// Longest valid value is an RFC 850 date (~40 chars); anything much longer is garbage.
const MAX_HEADER_LENGTH = 64;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MON = MONTHS.join('|');
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// The three HTTP-date forms of RFC 9110 section 5.6.7. Parsed by hand: Date.parse accepts "5" or "2024" as dates.
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) (${MON}) (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-(${MON})-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (${MON}) ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/**
 * Retry-After (delay-seconds or HTTP-date) as milliseconds from `now`.
 * Returns undefined for a missing or unparseable value (the caller then uses its own backoff).
 * A negative number of seconds or a date in the past means "now" (0). Values above `maxMs`
 * (default one day) are capped to it. The weekday name of a date is not cross-checked.
 */
export function parseRetryAfter(header: string | null | undefined, now: number, maxMs: number = MAX_RETRY_AFTER_MS): number | undefined {
  requireFinite('now', now);
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  if (value === '' || value.length > MAX_HEADER_LENGTH) return undefined;

  if (/^-?\d+$/.test(value)) {
    return clamp(Number(value) * 1000, maxMs);
  }
  const at = parseHttpDate(value, now);
  return at === undefined ? undefined : clamp(at - now, maxMs);
}

function clamp(ms: number, maxMs: number): number {
  return Math.min(Math.max(ms, 0), maxMs);
}

function parseHttpDate(value: string, now: number): number | undefined {
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(Number(m[3]), m[2], Number(m[1]), m[4], m[5], m[6]);
  m = RFC850_DATE.exec(value);
  if (m) return utc(fullYear(Number(m[3]), now), m[2], Number(m[1]), m[4], m[5], m[6]);
  m = ASCTIME_DATE.exec(value);
  if (m) return utc(Number(m[6]), m[1], Number(m[2].trim()), m[3], m[4], m[5]);
  return undefined;
}

/** RFC 9110: a two-digit year more than 50 years in the future means the previous century. */
function fullYear(twoDigits: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear();
  const year = Math.floor(thisYear / 100) * 100 + twoDigits;
  return year > thisYear + 50 ? year - 100 : year;
}

function utc(year: number, monthName: string, day: number, hh: string, mm: string, ss: string): number | undefined {
  const month = MONTHS.indexOf(monthName);
  const [h, mi, s] = [Number(hh), Number(mm), Number(ss)];
  if (h > 23 || mi > 59 || s > 60) return undefined;
  // A leap second (":60") is folded into the next second rather than rejected.
  const ms = Date.UTC(year, month, day, h, mi, Math.min(s, 59)) + (s === 60 ? 1000 : 0);
  const check = new Date(ms - (s === 60 ? 1000 : 0));
  // Date.UTC rolls "31 Feb" over into March; a real calendar date must round-trip.
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month) return undefined;
  return ms;
}
