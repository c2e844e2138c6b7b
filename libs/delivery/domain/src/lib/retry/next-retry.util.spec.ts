import { nextRetry, type NextRetryInput } from './next-retry.util';
import { DEFAULT_RETRY_POLICY, retryPolicyFor } from './retry-policies.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

const input = (over: Partial<NextRetryInput>): NextRetryInput => ({
  activityType: 'Create',
  attempt: 1,
  firstAttemptAt: T0,
  now: T0,
  random: () => 0,
  ...over,
});

const retryAt = (over: Partial<NextRetryInput>): number => {
  const decision = nextRetry(input(over));
  if (decision.kind !== 'retry') throw new Error(`expected a retry, got ${decision.giveUp}`);
  return decision.retryAt;
};

describe('retry policies', () => {
  it.each([
    ['Create', 10, 2.0],
    ['Update', 10, 2.0],
    ['Delete', 8, 1.5],
    ['Like', 5, 1.5],
    ['Dislike', 5, 1.5],
    ['Follow', 8, 2.0],
    ['Accept', 8, 2.0],
    ['Reject', 8, 2.0],
    ['Announce', 8, 2.0],
  ])('%s: %i tries x%d', (type, maxAttempts, factor) => {
    expect(retryPolicyFor(type)).toEqual({ maxAttempts, factor });
  });

  it('an Undo takes the policy of the activity it undoes', () => {
    expect(retryPolicyFor('Undo', 'Like')).toEqual({ maxAttempts: 5, factor: 1.5 });
    expect(retryPolicyFor('Undo', 'Follow')).toEqual({ maxAttempts: 8, factor: 2.0 });
  });

  it('unknown types, an Undo of an unknown type and an Undo of an Undo use the default', () => {
    expect(retryPolicyFor('Flag')).toBe(DEFAULT_RETRY_POLICY);
    expect(retryPolicyFor('Undo')).toBe(DEFAULT_RETRY_POLICY);
    expect(retryPolicyFor('Undo', 'Undo')).toBe(DEFAULT_RETRY_POLICY);
    expect(retryPolicyFor('toString')).toBe(DEFAULT_RETRY_POLICY);
  });
});

describe('nextRetry backoff', () => {
  it('equal jitter: random 0 waits half the nominal backoff, random ~1 the whole of it', () => {
    // Create attempt 3: nominal = 30 s * 2^2 = 120 s
    expect(retryAt({ attempt: 3, random: () => 0 }) - T0).toBe(60 * SECOND);
    expect(retryAt({ attempt: 3, random: () => 0.999999 }) - T0).toBe(120 * SECOND);
    expect(retryAt({ attempt: 3, random: () => 0.5 }) - T0).toBe(90 * SECOND);
  });

  it('grows by the policy factor (Delete x1.5)', () => {
    const delays = [1, 2, 3, 4].map((attempt) => retryAt({ activityType: 'Delete', attempt }) - T0);
    expect(delays).toEqual([15_000, 22_500, 33_750, 50_625]);
  });

  it('jittered delays always stay within [nominal/2, nominal]', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const attempt = 1 + (i % 9);
      const nominal = 30 * SECOND * 2 ** (attempt - 1);
      const delay = retryAt({ attempt, random }) - T0;
      expect(delay).toBeGreaterThanOrEqual(nominal / 2);
      expect(delay).toBeLessThanOrEqual(nominal);
    }
  });

  it('uses the configured base delay', () => {
    expect(retryAt({ attempt: 1, config: { baseDelayMs: 10 * SECOND } }) - T0).toBe(5 * SECOND);
  });

  it('reports the number of the attempt it schedules', () => {
    expect(nextRetry(input({ attempt: 4 }))).toMatchObject({ kind: 'retry', nextAttempt: 5, cappedAtDeadline: false });
  });
});

describe('nextRetry limits', () => {
  it('a Like gets 5 tries: retries after attempts 1-4, gives up after the 5th', () => {
    expect(nextRetry(input({ activityType: 'Like', attempt: 4 })).kind).toBe('retry');
    expect(nextRetry(input({ activityType: 'Like', attempt: 5 }))).toMatchObject({ kind: 'give-up', giveUp: 'max-attempts' });
  });

  it('a whole Create schedule makes exactly 10 attempts', () => {
    let now = T0;
    let attempts = 1;
    for (;;) {
      const decision = nextRetry(input({ attempt: attempts, now, random: () => 0.5 }));
      if (decision.kind === 'give-up') break;
      now = decision.retryAt;
      attempts = decision.nextAttempt;
      expect(attempts).toBeLessThanOrEqual(10);
    }
    expect(attempts).toBe(10);
  });

  it('gives up once MAX_RETRY_DURATION since the first attempt has passed', () => {
    expect(nextRetry(input({ attempt: 2, now: T0 + 2 * DAY }))).toMatchObject({ kind: 'give-up', giveUp: 'max-duration' });
  });

  it('a backoff landing past the deadline is pulled back to the deadline for one last try', () => {
    const now = T0 + 2 * DAY - 10 * MINUTE;
    // Create attempt 8: nominal 30 s * 128 = 64 min, at least 32 min > 10 min left
    expect(nextRetry(input({ attempt: 8, now }))).toMatchObject({
      kind: 'retry',
      retryAt: T0 + 2 * DAY,
      delayMs: 10 * MINUTE,
      cappedAtDeadline: true,
    });
  });

  it('honours a configured shorter MAX_RETRY_DURATION', () => {
    const config = { maxRetryDurationMs: 60 * MINUTE };
    // attempt 4: at least 120 s of backoff, but only 60 s are left
    expect(nextRetry(input({ attempt: 4, now: T0 + 59 * MINUTE, config }))).toMatchObject({ retryAt: T0 + 60 * MINUTE, cappedAtDeadline: true });
    expect(nextRetry(input({ attempt: 2, now: T0 + 58 * MINUTE, config }))).toMatchObject({ retryAt: T0 + 58 * MINUTE + 30 * SECOND });
    expect(nextRetry(input({ attempt: 2, now: T0 + 60 * MINUTE, config }))).toMatchObject({ giveUp: 'max-duration' });
  });
});

describe('nextRetry with Retry-After', () => {
  it('waits at least Retry-After when it is longer than the backoff', () => {
    expect(retryAt({ attempt: 1, retryAfterMs: 10 * MINUTE }) - T0).toBe(10 * MINUTE);
  });

  it('keeps the backoff when Retry-After is shorter', () => {
    expect(retryAt({ attempt: 3, retryAfterMs: 5 * SECOND }) - T0).toBe(60 * SECOND);
  });

  it('a Retry-After of 0 changes nothing', () => {
    expect(retryAt({ attempt: 1, retryAfterMs: 0 }) - T0).toBe(15 * SECOND);
  });

  it('gives up when Retry-After asks to wait past the deadline', () => {
    const now = T0 + 2 * DAY - 30 * MINUTE;
    expect(nextRetry(input({ attempt: 1, now, retryAfterMs: 31 * MINUTE }))).toMatchObject({
      kind: 'give-up',
      giveUp: 'retry-after-beyond-deadline',
    });
  });

  it('a Retry-After within the deadline still allows the capped last try', () => {
    const now = T0 + 2 * DAY - 30 * MINUTE;
    const decision = nextRetry(input({ attempt: 8, now, retryAfterMs: 20 * MINUTE }));
    expect(decision).toMatchObject({ kind: 'retry', retryAt: T0 + 2 * DAY, cappedAtDeadline: true });
  });
});

describe('nextRetry input validation', () => {
  it.each<[string, Partial<NextRetryInput>]>([
    ['attempt 0', { attempt: 0 }],
    ['fractional attempt', { attempt: 1.5 }],
    ['NaN now', { now: Number.NaN }],
    ['infinite firstAttemptAt', { firstAttemptAt: Number.POSITIVE_INFINITY }],
    ['negative retryAfterMs', { retryAfterMs: -1 }],
    ['random() returning 1', { random: () => 1 }],
    ['a zero base delay', { config: { baseDelayMs: 0 } }],
  ])('rejects %s', (_name, over) => {
    expect(() => nextRetry(input(over))).toThrow(DeliveryDomainError);
  });
});
