/** The default error of the input guards when the caller names no error of its own. */
export class InvalidInputError extends Error {
  readonly code = 'INVALID_INPUT';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
