import { type AddressPolicy, classifyAddress, isAllowedClass } from './address-policy.util';
import { HttpClientError } from './http-client.exception';
import { parseIp } from './ip-address.util';

export interface UrlPolicy extends AddressPolicy {
  /** Development and tests only: allow plain `http:` (https is always allowed). */
  readonly allowHttp?: boolean;
}

/**
 * Parses and vets a destination URL before anything touches the network: http(s) only (plain http
 * only when allowed), no credentials, a host, and an IP-literal host must itself be allowed.
 * Host names are vetted later, on the addresses they resolve to (see resolveAllowedAddresses).
 */
export function parseTargetUrl(input: string | URL, policy: UrlPolicy, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(String(input), base);
  } catch (error) {
    throw new HttpClientError('ERR_INVALID_URL', `not a valid URL: ${truncate(String(input))}`, { cause: error });
  }
  const shown = redact(url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new HttpClientError('ERR_INVALID_URL', `scheme ${url.protocol} is refused, only http(s)`, { url: shown });
  }
  if (url.protocol === 'http:' && policy.allowHttp !== true) {
    throw new HttpClientError('ERR_INVALID_URL', `plain http is refused (allowHttp is off): ${shown}`, { url: shown });
  }
  if (url.username !== '' || url.password !== '') {
    throw new HttpClientError('ERR_INVALID_URL', `URLs with credentials are refused: ${shown}`, { url: shown });
  }
  if (url.hostname === '') {
    throw new HttpClientError('ERR_INVALID_URL', `URL has no host: ${shown}`, { url: shown });
  }
  url.hash = '';
  assertAllowedLiteral(url.hostname, policy, shown);
  return url;
}

/** Host names from URLs carry IPv6 literals in brackets; sockets and lookups want them bare. */
export function bareHostname(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Throws ERR_SSRF_BLOCKED when `host` is an IP literal the policy forbids; names pass (they are vetted after DNS). */
export function assertAllowedLiteral(host: string, policy: AddressPolicy, url?: string): void {
  const bare = bareHostname(host);
  if (parseIp(bare) === undefined) return;
  assertAllowedAddress(bare, policy, url, bare);
}

/** Throws ERR_SSRF_BLOCKED unless `address` (an IP) is allowed by the policy. */
export function assertAllowedAddress(address: string, policy: AddressPolicy, url: string | undefined, hostname: string): void {
  const addressClass = classifyAddress(address);
  if (isAllowedClass(addressClass, policy)) return;
  const via = hostname === address ? '' : ` (resolved from ${hostname})`;
  throw new HttpClientError('ERR_SSRF_BLOCKED', `refusing to connect to ${addressClass} address ${address}${via}`, {
    address,
    addressClass,
    ...(url === undefined ? {} : { url }),
  });
}

/** The URL without credentials or query, for messages and metrics. */
export function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
