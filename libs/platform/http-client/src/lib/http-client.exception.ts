import { type AddressClass } from './address-policy.util';

/** Codes raised by the client itself. Transport failures keep their own code (ECONNRESET, ENOTFOUND, UND_ERR_SOCKET...). */
export type HttpClientErrorCode =
  | 'ERR_SSRF_BLOCKED'
  | 'ERR_INVALID_URL'
  | 'ERR_TOO_MANY_REDIRECTS'
  | 'ERR_RESPONSE_TOO_LARGE'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_INVALID_OPTION'
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_UNEXPECTED';

/** Which deadline fired: the TCP/TLS connect, the wait for response headers, a body stall, or the whole request. */
export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'total';

export interface HttpClientErrorDetails {
  readonly url?: string;
  readonly cause?: unknown;
  /** ERR_SSRF_BLOCKED: the refused address and its class. */
  readonly address?: string;
  readonly addressClass?: AddressClass;
  /** ERR_TIMEOUT: which deadline fired. */
  readonly phase?: TimeoutPhase;
  /** ERR_RESPONSE_TOO_LARGE, ERR_TOO_MANY_REDIRECTS: the HTTP status that was received. */
  readonly status?: number;
}

/**
 * The only error type SafeHttpClient throws. `code` is either one of HttpClientErrorCode or the
 * original code of a transport error (ECONNRESET, ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET...).
 */
export class HttpClientError extends Error {
  override readonly name = 'HttpClientError';
  readonly url?: string;
  readonly address?: string;
  readonly addressClass?: AddressClass;
  readonly phase?: TimeoutPhase;
  readonly status?: number;

  constructor(
    readonly code: HttpClientErrorCode | (string & {}),
    message: string,
    details: HttpClientErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.url = details.url;
    this.address = details.address;
    this.addressClass = details.addressClass;
    this.phase = details.phase;
    this.status = details.status;
  }
}
