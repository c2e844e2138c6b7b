/** A request body above the simulator's cap (answered 413). */
export class BodyTooLargeException extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeException';
  }
}
