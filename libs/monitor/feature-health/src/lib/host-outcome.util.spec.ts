import { hostOutcomeOf } from './host-outcome.util';

describe('hostOutcomeOf', () => {
  it.each([
    [{ outcome: 'delivered', statusCode: 202 }, 'success'],
    [{ outcome: 'retryable', statusCode: 429 }, 'rate-limited'],
    [{ outcome: 'retryable', statusCode: 503 }, 'failure'],
    [{ outcome: 'retryable', statusCode: 408 }, 'failure'],
    [{ outcome: 'retryable', errorClass: 'timeout' }, 'failure'],
    [{ outcome: 'permanent', statusCode: 410 }, 'rejected'],
    [{ outcome: 'permanent', statusCode: 403 }, 'rejected'],
    [{ outcome: 'permanent', statusCode: 500 }, 'failure'],
    [{ outcome: 'permanent', errorClass: 'connection_refused' }, 'failure'],
    [{ outcome: 'permanent', errorClass: 'invalid_destination' }, null],
    [{ outcome: 'deferred' }, null],
  ] as const)('%j -> %s', (payload, expected) => {
    expect(hostOutcomeOf(payload)).toBe(expected);
  });
});
