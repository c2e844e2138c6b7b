import { InvalidInputError } from './invalid-input.exception';

/**
 * Builds the error a guard throws from its message. Domain libraries pass one that makes their own
 * coded error (e.g. `(m) => new DeliveryDomainError('INVALID_INPUT', m)`), so callers keep
 * catching the domain's error type; without one the guards throw InvalidInputError.
 */
export type InputFailure = (message: string) => Error;

const invalidInput: InputFailure = (message) => new InvalidInputError(message);

export function requireFinite(name: string, value: unknown, fail: InputFailure = invalidInput): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw fail(`${name} must be a finite number, got ${String(value)}`);
  return value;
}

export function requireInteger(name: string, value: unknown, min: number, fail: InputFailure = invalidInput): number {
  const n = requireFinite(name, value, fail);
  if (!Number.isInteger(n) || n < min) throw fail(`${name} must be an integer >= ${min}, got ${n}`);
  return n;
}

export function requirePositive(name: string, value: unknown, fail: InputFailure = invalidInput): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw fail(`${name} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

/** A string with something other than white space in it (returned as given, not trimmed). */
export function requireNonEmptyString(name: string, value: unknown, fail: InputFailure = invalidInput): string {
  if (typeof value !== 'string' || value.trim() === '') throw fail(`${name} must be a non-empty string`);
  return value;
}

/** A plain object (not null, not an array), e.g. JSON read back from Redis or Postgres. */
export function requireRecord(name: string, value: unknown, fail: InputFailure = invalidInput): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(`${name} must be an object`);
  return value as Record<string, unknown>;
}

export function requireArray(name: string, value: unknown, maxLength: number, fail: InputFailure = invalidInput): unknown[] {
  if (!Array.isArray(value) || value.length > maxLength) throw fail(`${name} must be an array of at most ${maxLength} entries`);
  return value;
}
