import { type Behaviour, type RetryAfter } from './fedisim.types';

function assertInteger(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
}

function assertRetryAfter(value: RetryAfter): void {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('retryAfter must be a valid Date');
    return;
  }
  assertInteger(value, 0, 31_536_000, 'retryAfter (seconds)');
}

/** Builders for inbox behaviours; each validates its arguments. */
export const behaviours = {
  /** 202 Accepted. */
  ok: (): Behaviour => ({ kind: 'ok' }),
  /** 202 Accepted after `delayMs`. */
  slow: (delayMs: number): Behaviour => {
    assertInteger(delayMs, 0, 600_000, 'slow delayMs');
    return { kind: 'slow', delayMs };
  },
  fail500: (): Behaviour => ({ kind: 'fail', status: 500 }),
  /** Any 4xx/5xx status (use gone/rateLimited/serviceUnavailable for 410/429/503 with headers). */
  fail: (status: number): Behaviour => {
    assertInteger(status, 400, 599, 'fail status');
    return { kind: 'fail', status };
  },
  /** 429 with Retry-After (seconds or an HTTP-date). */
  rateLimited: (retryAfter: RetryAfter): Behaviour => {
    assertRetryAfter(retryAfter);
    return { kind: 'rateLimited', retryAfter };
  },
  /** 503, with Retry-After when given. */
  serviceUnavailable: (retryAfter?: RetryAfter): Behaviour => {
    if (retryAfter !== undefined) assertRetryAfter(retryAfter);
    return retryAfter === undefined ? { kind: 'serviceUnavailable' } : { kind: 'serviceUnavailable', retryAfter };
  },
  /** 410 Gone. */
  gone: (): Behaviour => ({ kind: 'gone' }),
  /** Destroy the connection with a TCP RST, no answer (the client sees ECONNRESET). */
  reset: (): Behaviour => ({ kind: 'reset' }),
  /** Never answer (until the simulator stops). */
  hang: (): Behaviour => ({ kind: 'hang' }),
  /** One step per verified POST, then `then` forever (default ok). */
  sequence: (steps: readonly Behaviour[], then: Behaviour = { kind: 'ok' }): Behaviour => {
    if (steps.length === 0) throw new RangeError('sequence needs at least one step');
    if ([...steps, then].some((b) => b.kind === 'sequence')) throw new RangeError('sequences cannot be nested');
    return { kind: 'sequence', steps: [...steps], then };
  },
  /** `count` copies of a behaviour, for sequences: sequence(repeat(3, fail500())). */
  repeat: (count: number, behaviour: Behaviour): Behaviour[] => {
    assertInteger(count, 1, 100_000, 'repeat count');
    return Array.from({ length: count }, () => behaviour);
  },
};

/** Formats a Retry-After header value. */
export function formatRetryAfter(value: RetryAfter): string {
  return value instanceof Date ? value.toUTCString() : String(value);
}
