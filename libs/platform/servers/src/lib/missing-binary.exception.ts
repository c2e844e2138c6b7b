/** A server binary is not installed; the message names the command that fixes it. */
export class MissingBinaryException extends Error {
  constructor(
    readonly binary: string,
    readonly fix: string,
  ) {
    super(`${binary} was not found. ${fix}`);
    this.name = 'MissingBinaryException';
  }
}
