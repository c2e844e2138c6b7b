export type DeliveryDomainErrorCode = 'INVALID_INPUT' | 'INVALID_CONFIG';

/** Thrown when a caller passes something the delivery rules cannot work with (a bug upstream, never a remote's fault). */
export class DeliveryDomainError extends Error {
  constructor(
    readonly code: DeliveryDomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryDomainError';
  }
}
