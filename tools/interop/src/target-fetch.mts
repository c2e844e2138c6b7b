// Fedify always asks WebFinger over https for `acct:` handles (WebFinger requires https), but
// `npm start` serves plain http on localhost:3000. Rather than weaken Fedify or fake TLS, the
// probe wraps the global fetch: a request to the https twin of the target's origin (same host
// and port) goes to the target over http instead, and nothing else is rewritten. Every exchange
// with the target is recorded so the report can show what was actually said on the wire.

export interface Exchange {
  readonly method: string;
  readonly url: string;
  /** Set when the URL was rewritten from its https twin. */
  readonly requestedUrl?: string;
  readonly status?: number;
  readonly error?: string;
}

/** The URL to use for `url`: its http form when it is the https twin of an http target, else itself. */
export function mapToTarget(url: string, target: URL): string {
  const parsed = new URL(url);
  if (target.protocol !== 'http:' || parsed.protocol !== 'https:' || parsed.host !== target.host) return url;
  parsed.protocol = 'http:';
  return parsed.href;
}

function urlOf(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/** A fetch that applies `mapToTarget` and reports every exchange with the target's origin. */
export function createTargetFetch(base: typeof fetch, target: URL, record: (exchange: Exchange) => void): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const requestedUrl = urlOf(input);
    const url = mapToTarget(requestedUrl, target);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const mapped = url !== requestedUrl;
    const toTarget = new URL(url).origin === target.origin;
    const request = mapped ? (input instanceof Request ? new Request(url, input) : url) : input;
    try {
      const response = await base(request, init);
      if (toTarget) record({ method, url, status: response.status, ...(mapped ? { requestedUrl } : {}) });
      return response;
    } catch (error) {
      if (toTarget) record({ method, url, error: String(error), ...(mapped ? { requestedUrl } : {}) });
      throw error;
    }
  };
}
