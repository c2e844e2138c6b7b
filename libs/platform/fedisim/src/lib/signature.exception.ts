/** A request signature that cannot be checked or does not verify; the reason is recorded. */
export class SignatureException extends Error {
  constructor(
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
    this.name = 'SignatureException';
  }
}
