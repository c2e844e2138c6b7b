export type MonitorDomainErrorCode = 'INVALID_INPUT' | 'INVALID_CONFIG' | 'INVALID_STATE';

/** Bad input, bad config, or a stored state (Redis/Postgres JSON) that does not have the expected shape. */
export class MonitorDomainError extends Error {
  constructor(
    readonly code: MonitorDomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MonitorDomainError';
  }
}
