import { type UrlPolicy } from './target-url.util';
import { type HostResolver } from './guarded-lookup.util';

export interface SafeHttpClientOptions extends UrlPolicy {
  /** Keep-alive connections per origin (pipelining is always 1). Default 8. */
  readonly connections?: number;
  /** DNS resolution + TCP/TLS handshake. Default 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** From request sent to complete response headers. Default 10 000 ms. */
  readonly headersTimeoutMs?: number;
  /** Longest silence between two body chunks. Default 10 000 ms. */
  readonly bodyTimeoutMs?: number;
  /** Whole request including redirects and body; per-call `timeoutMs` overrides it. Default 15 000 ms. */
  readonly timeoutMs?: number;
  /** Response body cap; per-call `maxBytes` overrides it. Default 1 MiB. */
  readonly maxBytes?: number;
  /** Redirects followed by get(); per-call `maxRedirects` overrides it. Default 3. */
  readonly maxRedirects?: number;
  /** How long an idle pooled connection is kept. Default 4 000 ms. */
  readonly keepAliveTimeoutMs?: number;
  /** Sent unless the call sets its own user-agent. */
  readonly userAgent?: string;
  /** DNS resolver (tests inject one). Default: the system resolver (getaddrinfo). */
  readonly lookup?: HostResolver;
  /** Trust roots for TLS, e.g. a test CA. Certificate verification is never disabled. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Called once per HTTP exchange (each redirect hop counts), also on failure. Must not throw. */
  readonly onRequest?: (metric: HttpRequestMetric) => void;
}

export interface HttpRequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  /** Cancels the request; it then fails with ERR_ABORTED. */
  readonly signal?: AbortSignal;
}

export interface HttpGetOptions extends HttpRequestOptions {
  readonly maxRedirects?: number;
}

export interface HttpPostOptions extends HttpRequestOptions {
  readonly body: string | Uint8Array;
  /**
   * Do not return the response body (an inbox's answer is rarely useful): it is drained up to
   * `maxBytes` to keep the connection, and a bigger one closes the socket instead of failing.
   */
  readonly discardBody?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The URL that produced this response, after redirects. */
  readonly url: string;
  readonly redirects: number;
  readonly timings: { readonly headersMs: number; readonly totalMs: number };
}

export interface HttpRequestMetric {
  readonly method: 'GET' | 'POST';
  /** scheme://host:port, never a path or query. */
  readonly origin: string;
  readonly status?: number;
  /** Set when the exchange failed: the HttpClientError code. */
  readonly errorCode?: string;
  readonly ms: number;
}
