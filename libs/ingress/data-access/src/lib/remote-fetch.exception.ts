export const REMOTE_FETCH_FAILURES = ['gone', 'not_found', 'forbidden_address', 'timeout', 'too_large', 'http_error', 'invalid_document', 'network'] as const;
export type RemoteFetchFailure = (typeof REMOTE_FETCH_FAILURES)[number];

/** A remote document could not be fetched; `kind` says why (gone and not_found are final). */
export class RemoteFetchException extends Error {
  constructor(
    readonly kind: RemoteFetchFailure,
    readonly url: string,
    detail: string,
  ) {
    super(`fetching ${url} failed (${kind}): ${detail}`);
    this.name = 'RemoteFetchException';
  }

  /** The document does not exist (any more): not worth retrying. */
  get final(): boolean {
    return this.kind === 'gone' || this.kind === 'not_found';
  }
}
