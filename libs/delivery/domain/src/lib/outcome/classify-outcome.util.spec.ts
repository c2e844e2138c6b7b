import { classifyError, classifyOutcome } from './classify-outcome.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const codeError = (code: string): Error => Object.assign(new Error(code), { code });

describe('classifyOutcome by status', () => {
  it.each([200, 201, 202, 204])('%i is delivered', (status) => {
    expect(classifyOutcome({ status })).toEqual({ kind: 'delivered', errorClass: 'none', status });
  });

  it.each([408, 500, 502, 504, 520])('%i is retried', (status) => {
    expect(classifyOutcome({ status })).toEqual({ kind: 'retry', errorClass: `http_${status}`, status, rateLimited: false });
  });

  it.each([400, 401, 403, 404, 405, 413, 422, 301, 302])('%i is permanent', (status) => {
    expect(classifyOutcome({ status })).toEqual({ kind: 'permanent', errorClass: `http_${status}`, status, actorGone: false });
  });

  it('410 Gone is permanent and flags the actor as gone', () => {
    expect(classifyOutcome({ status: 410 })).toMatchObject({ kind: 'permanent', actorGone: true });
  });

  it('429 is retried, marked rate-limited, with its Retry-After', () => {
    expect(classifyOutcome({ status: 429, retryAfter: '90', now: NOW })).toEqual({
      kind: 'retry', errorClass: 'http_429', status: 429, rateLimited: true, retryAfterMs: 90_000,
    });
  });

  it('503 honours Retry-After but is not rate limiting', () => {
    expect(classifyOutcome({ status: 503, retryAfter: 'Sun, 22 Nov 2026 12:01:00 GMT', now: NOW })).toMatchObject({
      kind: 'retry', rateLimited: false, retryAfterMs: 60_000,
    });
  });

  it('ignores Retry-After on other statuses and garbage Retry-After', () => {
    expect(classifyOutcome({ status: 500, retryAfter: '90', now: NOW })).not.toHaveProperty('retryAfterMs');
    expect(classifyOutcome({ status: 429, retryAfter: 'later', now: NOW })).not.toHaveProperty('retryAfterMs');
  });

  it('needs now to read a Retry-After', () => {
    expect(() => classifyOutcome({ status: 429, retryAfter: '5' })).toThrow(DeliveryDomainError);
  });

  it('the status wins over an error (a body read failing after the response)', () => {
    expect(classifyOutcome({ status: 202, error: codeError('ECONNRESET') }).kind).toBe('delivered');
  });

  it.each([99, 1000, 200.5, Number.NaN])('rejects status %s', (status) => {
    expect(() => classifyOutcome({ status })).toThrow(DeliveryDomainError);
  });

  it('rejects an input with neither status nor error', () => {
    expect(() => classifyOutcome({})).toThrow(DeliveryDomainError);
  });
});

describe('classifyOutcome by transport error', () => {
  it.each([
    ['ETIMEDOUT', 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['ECONNRESET', 'connection_reset'],
    ['UND_ERR_SOCKET', 'connection_reset'],
    ['ECONNREFUSED', 'connection_refused'],
    ['EHOSTUNREACH', 'network_unreachable'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['EWHATEVER', 'unknown_error'],
  ])('%s is retried as %s', (code, errorClass) => {
    expect(classifyOutcome({ error: codeError(code) })).toEqual({ kind: 'retry', errorClass, rateLimited: false });
  });

  it.each(['ERR_SSRF_BLOCKED', 'ERR_INVALID_URL'])('%s (a destination we refuse) is permanent', (code) => {
    expect(classifyOutcome({ error: codeError(code) })).toEqual({ kind: 'permanent', errorClass: 'invalid_destination', actorGone: false });
  });

  it("looks through undici's 'fetch failed' wrapper", () => {
    const error = new TypeError('fetch failed', { cause: codeError('ECONNREFUSED') });
    expect(classifyError(error)).toBe('connection_refused');
  });

  it('recognises AbortSignal.timeout() errors by name', () => {
    expect(classifyError(new DOMException('timed out', 'TimeoutError'))).toBe('timeout');
    expect(classifyError(new DOMException('aborted', 'AbortError'))).toBe('aborted');
  });

  it('stops following a cyclic cause chain', () => {
    const a: { cause?: unknown } = {};
    a.cause = a;
    expect(classifyError(a)).toBe('unknown_error');
  });

  it('anything thrown that is not an object is an unknown error', () => {
    expect(classifyError('boom')).toBe('unknown_error');
  });
});
