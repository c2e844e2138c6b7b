import { type HeaderMap, type SignatureRequest } from './http-signature.types';

/** The request's target split the way both signature schemes need it. */
export interface RequestTarget {
  /** Lowercase scheme. */
  readonly scheme: string;
  /** Host[:port], lowercase, default port omitted (RFC 9110 §4.2.3). Empty when unknown. */
  readonly authority: string;
  /** Absolute path as sent (not decoded); `/` when empty. */
  readonly path: string;
  /** `?` plus the query as sent, or `''` without a query. */
  readonly search: string;
}

const ABSOLUTE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/;

/**
 * Splits `request.url` (origin form or absolute) into scheme, authority, path and query. The
 * authority comes from the URL when absolute, else from Host (or HTTP/2 `:authority`).
 * `undefined` when the URL is neither form.
 */
export function requestTarget(request: SignatureRequest): RequestTarget | undefined {
  const url = request.url;
  if (url.startsWith('/')) {
    const end = url.indexOf('#');
    const target = end === -1 ? url : url.slice(0, end);
    const q = target.indexOf('?');
    const scheme = request.scheme ?? 'https';
    return {
      scheme,
      authority: normaliseAuthority(scheme, hostOf(request.headers) ?? ''),
      path: q === -1 ? target : target.slice(0, q),
      search: q === -1 ? '' : target.slice(q),
    };
  }
  const match = ABSOLUTE.exec(url);
  if (match === null) return undefined;
  const scheme = (match[1] as string).toLowerCase();
  return {
    scheme,
    authority: normaliseAuthority(scheme, match[2] as string),
    path: match[3] || '/',
    search: match[4] ?? '',
  };
}

function hostOf(headers: HeaderMap): string | undefined {
  const host = headers['host'] ?? headers[':authority'];
  return typeof host === 'string' ? host.trim() : host?.[0]?.trim();
}

function normaliseAuthority(scheme: string, authority: string): string {
  const lower = authority.toLowerCase();
  const at = lower.lastIndexOf('@');
  const hostPort = at === -1 ? lower : lower.slice(at + 1);
  if (scheme === 'https' && hostPort.endsWith(':443')) return hostPort.slice(0, -4);
  if (scheme === 'http' && hostPort.endsWith(':80')) return hostPort.slice(0, -3);
  return hostPort;
}
