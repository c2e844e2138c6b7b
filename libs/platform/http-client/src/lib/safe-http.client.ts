import { boundedMemo } from '@peerfed/shared/util';
import { Agent, type Dispatcher } from 'undici';
import { readCappedBody } from './capped-body.util';
import { createGuardedConnector } from './guarded-connector.util';
import { systemResolver } from './guarded-lookup.util';
import { HttpClientError, type TimeoutPhase } from './http-client.exception';
import {
  type HttpGetOptions,
  type HttpPostOptions,
  type HttpRequestMetric,
  type HttpRequestOptions,
  type HttpResponse,
  type SafeHttpClientOptions,
} from './http-client.types';
import { parseTargetUrl, redact, type UrlPolicy } from './target-url.util';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Sent to the first origin only: a redirect to another origin must not carry our credentials.
const ORIGIN_BOUND_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'host', 'signature', 'signature-input'];
const UNDICI_TIMEOUTS: Readonly<Record<string, TimeoutPhase>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};
const REDIRECT_BODY_DUMP_LIMIT = 64 * 1024;
/** Vetted targets remembered per client (a delivery worker posts to the same inboxes all day). */
const MAX_CACHED_TARGETS = 2048;

/** A parsed and vetted URL with what every hop reads from it (URL getters build a new string per call). */
interface Target {
  readonly url: URL;
  readonly origin: string;
  readonly path: string;
  readonly href: string;
}

interface ResolvedSettings {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
}

interface Exchange {
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly discardBody: boolean;
  readonly signal: AbortSignal;
}

/**
 * The one way services talk HTTP to the outside: SSRF-guarded at connect time, bounded in time,
 * size and redirects, with keep-alive pools per origin. Create one per process and close() it on
 * shutdown. Every failure is an HttpClientError (see its `code`).
 */
export class SafeHttpClient {
  private readonly agent: Agent;
  private readonly policy: UrlPolicy;
  private readonly defaults: ResolvedSettings;
  // parseTargetUrl depends only on the string and this client's fixed policy, so its verdict can be
  // reused; names are still resolved and vetted at every connect (guarded connector), not here.
  private readonly targetOfText = boundedMemo((input: string) => toTarget(parseTargetUrl(input, this.policy)), MAX_CACHED_TARGETS);
  private closed = false;

  constructor(private readonly options: SafeHttpClientOptions = {}) {
    this.policy = { allowHttp: options.allowHttp === true, allowLoopback: options.allowLoopback === true };
    this.defaults = {
      timeoutMs: positiveInt('timeoutMs', options.timeoutMs, 15_000),
      maxBytes: positiveInt('maxBytes', options.maxBytes, 1024 * 1024),
      maxRedirects: nonNegativeInt('maxRedirects', options.maxRedirects, 3),
    };
    const connectTimeoutMs = positiveInt('connectTimeoutMs', options.connectTimeoutMs, 5_000);
    this.agent = new Agent({
      connections: positiveInt('connections', options.connections, 8),
      pipelining: 1,
      keepAliveTimeout: positiveInt('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 4_000),
      headersTimeout: positiveInt('headersTimeoutMs', options.headersTimeoutMs, 10_000),
      bodyTimeout: positiveInt('bodyTimeoutMs', options.bodyTimeoutMs, 10_000),
      connect: createGuardedConnector({
        policy: this.policy,
        resolver: options.lookup ?? systemResolver,
        connectTimeoutMs,
        ...(options.ca === undefined ? {} : { tls: { ca: options.ca as string | Buffer | Array<string | Buffer> } }),
      }),
    });
  }

  /** GET, following up to `maxRedirects` redirects, each hop vetted again. */
  get(url: string | URL, options: HttpGetOptions = {}): Promise<HttpResponse> {
    return this.run(url, 'GET', options, undefined, nonNegativeInt('maxRedirects', options.maxRedirects, this.defaults.maxRedirects));
  }

  /** POST; a redirect response is returned as is, never followed (the body and its signature are for this URL). */
  post(url: string | URL, options: HttpPostOptions): Promise<HttpResponse> {
    const body = (options as HttpPostOptions | undefined)?.body;
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
      return Promise.reject(new HttpClientError('ERR_INVALID_OPTION', 'post() needs a string or Uint8Array body'));
    }
    return this.run(url, 'POST', options, body, 0, options.discardBody === true);
  }

  /** Waits for in-flight requests, then closes every pooled connection. Later calls fail with ERR_CLIENT_CLOSED. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.agent.close();
  }

  private async run(
    input: string | URL,
    method: 'GET' | 'POST',
    options: HttpRequestOptions,
    body: string | Uint8Array | undefined,
    maxRedirects: number,
    discardBody = false,
  ): Promise<HttpResponse> {
    if (this.closed) throw new HttpClientError('ERR_CLIENT_CLOSED', 'the HTTP client is closed');
    const timeoutMs = positiveInt('timeoutMs', options.timeoutMs, this.defaults.timeoutMs);
    const maxBytes = positiveInt('maxBytes', options.maxBytes, this.defaults.maxBytes);
    const target = this.targetOf(input);
    const { url } = target;
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(new DOMException(`request exceeded ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    const signal = options.signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, options.signal]);
    try {
      return await this.follow(target, {
        method,
        headers: this.initialHeaders(options.headers),
        maxBytes,
        maxRedirects,
        discardBody,
        signal,
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      if (deadline.signal.aborted) {
        throw new HttpClientError('ERR_TIMEOUT', `request exceeded ${timeoutMs} ms: ${redact(url)}`, {
          url: redact(url),
          phase: 'total',
          cause: deadline.signal.reason,
        });
      }
      if (options.signal?.aborted === true) {
        throw new HttpClientError('ERR_ABORTED', `request aborted by the caller: ${redact(url)}`, { url: redact(url), cause: error });
      }
      throw toHttpClientError(error, redact(url));
    } finally {
      clearTimeout(timer);
    }
  }

  private targetOf(input: string | URL): Target {
    return typeof input === 'string' ? this.targetOfText(input) : toTarget(parseTargetUrl(input, this.policy));
  }


  private async follow(start: Target, exchange: Exchange): Promise<HttpResponse> {
    const started = performance.now();
    let target = start;
    let headers = exchange.headers;
    for (let redirects = 0; ; redirects++) {
      const hopStarted = performance.now();
      let status: number | undefined;
      let reported = false;
      const report = (code?: string): void => {
        reported = true;
        this.report(exchange.method, target.origin, hopStarted, status, code);
      };
      try {
        const response = await this.agent.request({
          origin: target.origin,
          path: target.path,
          method: exchange.method,
          headers,
          body: exchange.body ?? null,
          signal: exchange.signal,
        });
        status = response.statusCode;
        const headersMs = performance.now() - started;
        const location = headerValue(response.headers.location);
        if (exchange.method === 'GET' && REDIRECT_STATUSES.has(status) && location !== undefined) {
          await response.body.dump({ limit: REDIRECT_BODY_DUMP_LIMIT });
          report();
          if (redirects >= exchange.maxRedirects) {
            throw new HttpClientError('ERR_TOO_MANY_REDIRECTS', `more than ${exchange.maxRedirects} redirects from ${redact(start.url)}`, {
              url: redact(target.url),
              status,
            });
          }
          const next = toTarget(parseTargetUrl(location, this.policy, target.url));
          if (next.origin !== target.origin) headers = withoutOriginBoundHeaders(headers);
          target = next;
          continue;
        }
        const body = await this.readBody(response, status, exchange, redact(target.url));
        // undici frees a pipelining-1 connection for the pool in a setImmediate after the body ends;
        // yielding once lets a caller's next request reuse it instead of opening a second socket.
        await new Promise<void>((resolve) => setImmediate(resolve));
        report();
        return {
          status,
          headers: normalizeHeaders(response.headers),
          body,
          url: target.href,
          redirects,
          timings: { headersMs, totalMs: performance.now() - started },
        };
      } catch (error) {
        if (!reported) report(errorCode(error, exchange.signal));
        throw error;
      }
    }
  }

  private async readBody(response: Dispatcher.ResponseData, status: number, exchange: Exchange, url: string): Promise<Buffer> {
    if (exchange.discardBody) {
      // Drains up to the cap so the socket can be reused; a bigger body just closes the socket.
      await response.body.dump({ limit: exchange.maxBytes });
      return Buffer.alloc(0);
    }
    return readCappedBody(response.body, exchange.maxBytes, headerValue(response.headers['content-length']), url, status);
  }

  private initialHeaders(given: Readonly<Record<string, string>> | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.options.userAgent !== undefined) headers['user-agent'] = this.options.userAgent;
    for (const [name, value] of Object.entries(given ?? {})) {
      if (typeof value !== 'string') throw new HttpClientError('ERR_INVALID_OPTION', `header ${name} must be a string`);
      headers[name.toLowerCase()] = value;
    }
    return headers;
  }

  private report(method: 'GET' | 'POST', origin: string, started: number, status: number | undefined, code?: string): void {
    const hook = this.options.onRequest;
    if (hook === undefined) return;
    const metric: HttpRequestMetric = {
      method,
      origin,
      ms: performance.now() - started,
      ...(status === undefined ? {} : { status }),
      ...(code === undefined ? {} : { errorCode: code }),
    };
    try {
      hook(metric);
    } catch {
      // A broken metrics hook must not fail the request it observes.
    }
  }
}

function toTarget(url: URL): Target {
  return { url, origin: url.origin, path: `${url.pathname}${url.search}`, href: url.href };
}

/** Maps anything thrown by undici or the network into an HttpClientError, keeping transport codes. */
export function toHttpClientError(error: unknown, url: string): HttpClientError {
  if (error instanceof HttpClientError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string') {
    const phase = UNDICI_TIMEOUTS[code];
    if (phase !== undefined) return new HttpClientError('ERR_TIMEOUT', `${phase} timeout: ${message} (${url})`, { url, phase, cause: error });
    return new HttpClientError(code, `${message} (${url})`, { url, cause: error });
  }
  return new HttpClientError('ERR_UNEXPECTED', `${message} (${url})`, { url, cause: error });
}

function errorCode(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError' ? 'ERR_TIMEOUT' : 'ERR_ABORTED';
  return toHttpClientError(error, '').code;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function normalizeHeaders(raw: Dispatcher.ResponseData['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function withoutOriginBoundHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !ORIGIN_BOUND_HEADERS.includes(name)));
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved <= 0) {
    throw new HttpClientError('ERR_INVALID_OPTION', `${name} must be a positive integer, got ${String(value)}`);
  }
  return resolved;
}

function nonNegativeInt(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < 0) {
    throw new HttpClientError('ERR_INVALID_OPTION', `${name} must be a non-negative integer, got ${String(value)}`);
  }
  return resolved;
}
