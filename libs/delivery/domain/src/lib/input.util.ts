import * as guards from '@peerfed/shared/util';
import { DeliveryDomainError, type DeliveryDomainErrorCode } from './delivery-domain.exception';

// The shared guards, throwing this domain's coded error so callers catch one type.
const failWith =
  (code: DeliveryDomainErrorCode): guards.InputFailure =>
  (message) =>
    new DeliveryDomainError(code, message);
const invalidInput = failWith('INVALID_INPUT');

export function requireFinite(name: string, value: unknown): number {
  return guards.requireFinite(name, value, invalidInput);
}

export function requireInteger(name: string, value: unknown, min: number): number {
  return guards.requireInteger(name, value, min, invalidInput);
}

export function requirePositive(name: string, value: unknown, code: 'INVALID_INPUT' | 'INVALID_CONFIG' = 'INVALID_CONFIG'): number {
  return guards.requirePositive(name, value, failWith(code));
}

/** An injected `random()` must behave like Math.random: a number in [0, 1). */
export function drawUnit(random: () => number): number {
  const u = random();
  if (typeof u !== 'number' || !(u >= 0 && u < 1)) {
    throw new DeliveryDomainError('INVALID_INPUT', `random() must return a number in [0, 1), got ${String(u)}`);
  }
  return u;
}

export function requireNonEmptyString(name: string, value: unknown): string {
  return guards.requireNonEmptyString(name, value, invalidInput);
}
