import { type HostOutcome, HOST_OUTCOMES } from './host-outcome.types';
import { MonitorDomainError, type MonitorDomainErrorCode } from './monitor-domain.exception';

export function requireFinite(name: string, value: unknown, code: MonitorDomainErrorCode = 'INVALID_INPUT'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MonitorDomainError(code, `${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

export function requireInteger(name: string, value: unknown, min: number, code: MonitorDomainErrorCode = 'INVALID_INPUT'): number {
  const n = requireFinite(name, value, code);
  if (!Number.isInteger(n) || n < min) throw new MonitorDomainError(code, `${name} must be an integer >= ${min}, got ${n}`);
  return n;
}

export function requireNullableFinite(name: string, value: unknown, code: MonitorDomainErrorCode): number | null {
  return value === null ? null : requireFinite(name, value, code);
}

export function requireText(name: string, value: unknown, code: MonitorDomainErrorCode = 'INVALID_INPUT'): string {
  if (typeof value !== 'string' || value.trim() === '') throw new MonitorDomainError(code, `${name} must be a non-empty string`);
  return value;
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MonitorDomainError('INVALID_STATE', `${name} must be an object`);
  }
  return value as Record<string, unknown>;
}

export function requireArray(name: string, value: unknown, maxLength: number): unknown[] {
  if (!Array.isArray(value) || value.length > maxLength) {
    throw new MonitorDomainError('INVALID_STATE', `${name} must be an array of at most ${maxLength} entries`);
  }
  return value;
}

export function requireVersion(name: string, value: unknown, version: number): void {
  if (value !== version) throw new MonitorDomainError('INVALID_STATE', `${name}.version must be ${version}, got ${String(value)}`);
}
