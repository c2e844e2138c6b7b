/** A send() that got no reply in time. The request may still be handled later. */
export class RequestTimeoutException extends Error {
  readonly code = 'STREAMS_REQUEST_TIMEOUT';

  constructor(
    readonly pattern: string,
    readonly timeoutMs: number,
  ) {
    super(`No reply to request "${pattern}" within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutException';
  }
}
