import { Agent, request as httpRequest } from 'node:http';
import { isIP } from 'node:net';
import { type HttpResult } from './fedisim.types';

export interface SimHttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly timeoutMs: number;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The simulator only ever talks to this machine: loopback names and addresses. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Plain-http client with keep-alive, restricted to loopback, with a hard deadline per request
 * and a bounded response body. Used for key fetches and for the requests a fake remote sends.
 */
export class SimHttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  request(options: SimHttpRequest): Promise<HttpResult> {
    const { url } = options;
    if (url.protocol !== 'http:') return Promise.reject(new Error(`only http: URLs are supported, got ${url.href}`));
    if (!isLoopbackUrl(url)) return Promise.reject(new Error(`refusing to contact a non-loopback host: ${url.host}`));
    return new Promise<HttpResult>((resolve, reject) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['content-length'] = String(options.body.length);
      const req = httpRequest(
        { agent: this.agent, method: options.method, hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              req.destroy(new Error(`response from ${url.host} exceeds ${MAX_RESPONSE_BYTES} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            clearTimeout(deadline);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (error) => {
            clearTimeout(deadline);
            reject(error);
          });
        },
      );
      const deadline = setTimeout(() => {
        const error = Object.assign(new Error(`${options.method} ${url.href} timed out after ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' });
        req.destroy(error);
      }, options.timeoutMs);
      req.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      req.end(options.body);
    });
  }

  /** Closes the pooled keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}
