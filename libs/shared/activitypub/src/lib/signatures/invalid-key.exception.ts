/** Key material that cannot be parsed or used (bad PEM, wrong kind of key). */
export class InvalidKeyException extends Error {
  readonly code = 'invalid_key';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidKeyException';
  }
}
