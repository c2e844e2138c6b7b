import { type KeyObject } from 'node:crypto';
import { type BareItem } from 'structured-headers';
import { cavageSigningString, formatCavageSignatureHeader } from './cavage-signature.util';
import { contentDigestHeader, digestHeader } from './digest.util';
import { type RequestBody, type SignatureScheme } from './http-signature.types';
import { rfc9421SignatureBase, rfc9421SignatureHeader, rfc9421SignatureInput } from './rfc9421-signature.util';
import { requestTarget } from './request-target.util';
import { algorithmForKey, cavageAlgorithm, isRfc9421Algorithm, keySuits, signBase } from './signature-algorithm.util';

export interface SignRequestOptions {
  readonly method: string;
  /** Absolute http(s) URL of the destination. */
  readonly url: string;
  /** Headers the request will carry (any case); signed when covered. Date is reused when present. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The exact bytes that will be sent. A digest is added whenever a body is given (or the method is POST/PUT/PATCH). */
  readonly body?: RequestBody;
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly scheme: SignatureScheme;
  /** Epoch milliseconds. Default `Date.now`: sign at send time, Date must be fresh. */
  readonly now?: () => number;
  /**
   * cavage: the `algorithm` parameter, default `rsa-sha256` for RSA keys (what Mastodon expects)
   * and `hs2019` otherwise. rfc9421: the `alg`, default derived from the key.
   */
  readonly algorithm?: string;
  /**
   * Covered components. cavage default: `(request-target) host date` (+ `digest`); rfc9421
   * default: `@method @target-uri @authority date` (+ `content-digest`).
   */
  readonly components?: readonly string[];
  /** rfc9421 label. Default `sig1`. */
  readonly label?: string;
  /** Adds `expires` (rfc9421 parameter; cavage only when `(expires)` is covered). */
  readonly expiresInSeconds?: number;
  /** rfc9421 `nonce` / `tag` parameters. */
  readonly nonce?: string;
  readonly tag?: string;
  /**
   * The `digest` / `content-digest` header values of `body` when the caller already has them
   * (digestHeader / contentDigestHeader of these exact bytes), for one body signed for many
   * destinations. Computed here when absent.
   */
  readonly bodyDigests?: BodyDigests;
}

export interface BodyDigests {
  readonly digest?: string;
  readonly contentDigest?: string;
}

/** Headers to add to the request, lowercase names. */
export type SignedHeaders = Record<string, string>;

const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);
const QUOTE_SAFE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Signs an outgoing request. Returns the headers to add: `host`, `date`, `digest` (cavage) or
 * `content-digest` (rfc9421) when there is a body, and `signature` (+ `signature-input`).
 * Throws on invalid arguments (these are our own inputs, not remote data).
 */
export function signRequest(options: SignRequestOptions): SignedHeaders {
  const url = parseDestination(options.url);
  if (!/^[A-Za-z]+$/.test(options.method)) throw new TypeError(`invalid method ${options.method}`);
  if (!QUOTE_SAFE.test(options.keyId)) throw new TypeError('keyId must be printable ASCII without quotes or backslashes');

  const now = (options.now ?? Date.now)();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const added: SignedHeaders = {};
  const add = (name: string, value: string): void => {
    headers[name] = value;
    added[name] = value;
  };
  if (headers['host'] === undefined) add('host', url.host);
  if (headers['date'] === undefined) add('date', new Date(now).toUTCString());
  const withBody = options.body !== undefined || BODY_METHODS.has(options.method.toUpperCase());
  const body = options.body ?? '';
  const request = { method: options.method.toUpperCase(), url: options.url, headers, body };

  if (options.scheme === 'cavage') {
    if (withBody) add('digest', options.bodyDigests?.digest ?? digestHeader(body));
    const components = options.components ?? ['(request-target)', 'host', 'date', ...(withBody ? ['digest'] : [])];
    const algorithm = options.algorithm ?? (options.privateKey.asymmetricKeyType === 'rsa' ? 'rsa-sha256' : 'hs2019');
    const seconds = Math.floor(now / 1000);
    const params = {
      keyId: options.keyId,
      algorithm,
      headers: components.map((name) => name.toLowerCase()),
      ...(components.includes('(created)') && { created: String(seconds) }),
      ...(components.includes('(expires)') && { expires: String(seconds + requiredExpiry(options.expiresInSeconds)) }),
    };
    const target = requestTarget(request);
    if (target === undefined) throw new TypeError(`cannot sign ${options.url}`);
    const base = cavageSigningString(request, target, params);
    if (!base.ok) throw new TypeError(`cannot sign: ${base.message}`);
    const signingAlgorithm = cavageAlgorithm(algorithm, options.privateKey);
    if (signingAlgorithm === undefined) {
      throw new TypeError(`draft algorithm ${algorithm} does not fit the ${options.privateKey.asymmetricKeyType ?? 'secret'} key`);
    }
    const signature = signBase(signingAlgorithm, options.privateKey, Buffer.from(base.value));
    add('signature', formatCavageSignatureHeader({ ...params, signature }));
    return added;
  }

  if (withBody) add('content-digest', options.bodyDigests?.contentDigest ?? contentDigestHeader(body));
  const components = options.components ?? ['@method', '@target-uri', '@authority', 'date', ...(withBody ? ['content-digest'] : [])];
  const algorithm = options.algorithm ?? algorithmForKey(options.privateKey);
  if (algorithm === undefined || !isRfc9421Algorithm(algorithm) || !keySuits(algorithm, options.privateKey)) {
    throw new TypeError(`algorithm ${algorithm ?? '(none)'} does not fit the ${options.privateKey.asymmetricKeyType ?? 'secret'} key`);
  }
  const seconds = Math.floor(now / 1000);
  const params = new Map<string, BareItem>([
    ['created', seconds],
    ['keyid', options.keyId],
    ['alg', algorithm],
  ]);
  if (options.expiresInSeconds !== undefined) params.set('expires', seconds + requiredExpiry(options.expiresInSeconds));
  if (options.nonce !== undefined) params.set('nonce', options.nonce);
  if (options.tag !== undefined) params.set('tag', options.tag);
  const label = options.label ?? 'sig1';
  const input = rfc9421SignatureInput(label, components, params);
  const target = requestTarget(request);
  if (target === undefined) throw new TypeError(`cannot sign ${options.url}`);
  const base = rfc9421SignatureBase(request, target, input.innerList);
  if (!base.ok) throw new TypeError(`cannot sign: ${base.message}`);
  const signature = signBase(algorithm, options.privateKey, Buffer.from(base.value));
  add('signature-input', input.header);
  add('signature', rfc9421SignatureHeader(label, signature));
  return added;
}

function parseDestination(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not an absolute URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError(`not an http(s) URL: ${url}`);
  return parsed;
}

function requiredExpiry(seconds: number | undefined): number {
  if (seconds === undefined || !Number.isInteger(seconds) || seconds <= 0) {
    throw new TypeError('expiresInSeconds must be a positive integer');
  }
  return seconds;
}
