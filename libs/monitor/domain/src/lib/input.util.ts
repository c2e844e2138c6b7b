import * as guards from '@peerfed/shared/util';
import { type HostOutcome, HOST_OUTCOMES } from './host-outcome.types';
import { MonitorDomainError, type MonitorDomainErrorCode } from './monitor-domain.exception';

// The shared guards, throwing this domain's coded error so callers catch one type.
const failWith =
  (code: MonitorDomainErrorCode): guards.InputFailure =>
  (message) =>
    new MonitorDomainError(code, message);

export function requireFinite(name: string, value: unknown, code: MonitorDomainErrorCode = 'INVALID_INPUT'): number {
  return guards.requireFinite(name, value, failWith(code));
}

export function requireInteger(name: string, value: unknown, min: number, code: MonitorDomainErrorCode = 'INVALID_INPUT'): number {
  return guards.requireInteger(name, value, min, failWith(code));
}

export function requireNullableFinite(name: string, value: unknown, code: MonitorDomainErrorCode): number | null {
  return value === null ? null : requireFinite(name, value, code);
}

export function requireText(name: string, value: unknown, code: MonitorDomainErrorCode = 'INVALID_INPUT'): string {
  return guards.requireNonEmptyString(name, value, failWith(code));
}

/** Hosts are keys in Redis and Postgres: lower case, host[:port], nothing else. */
export function normaliseHost(value: unknown, code: MonitorDomainErrorCode = 'INVALID_INPUT'): string {
  const host = requireText('host', value, code).trim().toLowerCase();
  if (!/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/.test(host)) {
    throw new MonitorDomainError(code, `host must be host[:port], got ${host}`);
  }
  return host;
}

export function requireOutcome(value: unknown): HostOutcome {
  if (!HOST_OUTCOMES.includes(value as HostOutcome)) {
    throw new MonitorDomainError('INVALID_INPUT', `outcome must be one of ${HOST_OUTCOMES.join(', ')}, got ${String(value)}`);
  }
  return value as HostOutcome;
}

export function requireRecord(name: string, value: unknown): Record<string, unknown> {
  return guards.requireRecord(name, value, failWith('INVALID_STATE'));
}

export function requireArray(name: string, value: unknown, maxLength: number): unknown[] {
  return guards.requireArray(name, value, maxLength, failWith('INVALID_STATE'));
}

export function requireVersion(name: string, value: unknown, version: number): void {
  if (value !== version) throw new MonitorDomainError('INVALID_STATE', `${name}.version must be ${version}, got ${String(value)}`);
}
