import { DeliveryDomainError } from './delivery-domain.exception';

export function requireFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DeliveryDomainError('INVALID_INPUT', `${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

export function requireInteger(name: string, value: unknown, min: number): number {
  const n = requireFinite(name, value);
  if (!Number.isInteger(n) || n < min) {
    throw new DeliveryDomainError('INVALID_INPUT', `${name} must be an integer >= ${min}, got ${n}`);
  }
  return n;
}

export function requirePositive(name: string, value: unknown, code: 'INVALID_INPUT' | 'INVALID_CONFIG' = 'INVALID_CONFIG'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new DeliveryDomainError(code, `${name} must be a positive finite number, got ${String(value)}`);
  }
  return value;
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
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DeliveryDomainError('INVALID_INPUT', `${name} must be a non-empty string`);
  }
  return value;
}
