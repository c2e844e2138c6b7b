/** An emit()/send() whose XADD failed or did not complete in time. */
export class PublishFailedException extends Error {
  readonly code = 'STREAMS_PUBLISH_FAILED';

  constructor(
    readonly stream: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Publishing to "${stream}" failed: ${reason}`, options);
    this.name = 'PublishFailedException';
  }
}
