import { type KeyObject } from 'node:crypto';

/** A header value as Node delivers it: a string, or an array when the field was repeated. */
export type HeaderValue = string | readonly string[] | undefined;

/** Request headers keyed by LOWERCASE field name (as `IncomingMessage.headers`). */
export type HeaderMap = Readonly<Record<string, HeaderValue>>;

/** Request body bytes exactly as received (or as they will be sent). */
export type RequestBody = string | Uint8Array;

/** The parts of an HTTP request that signatures cover. */
export interface SignatureRequest {
  readonly method: string;
  /** Origin form (`/inbox?x=1`, as `IncomingMessage.url`) or an absolute URL. */
  readonly url: string;
  readonly headers: HeaderMap;
  /** Raw body; needed to check Digest / Content-Digest. Absent means empty. */
  readonly body?: RequestBody;
  /**
   * Scheme the client used, for `@scheme` / `@target-uri` when `url` is in origin form.
   * Defaults to https: behind a TLS-terminating proxy the socket says http, the signer said https.
   */
  readonly scheme?: 'http' | 'https';
}

export type SignatureScheme = 'cavage' | 'rfc9421';

/** Algorithms we sign and verify with (RFC 9421 names; `rsa-v1_5-sha512` only for draft `rsa-sha512`). */
export const SIGNATURE_ALGORITHMS = [
  'rsa-v1_5-sha256',
  'rsa-v1_5-sha512',
  'rsa-pss-sha512',
  'ecdsa-p256-sha256',
  'ecdsa-p384-sha384',
  'ed25519',
  'hmac-sha256',
] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

export const VERIFICATION_FAILURES = [
  /** No Signature, Authorization: Signature, or Signature-Input header. */
  'missing_signature',
  /** The signature headers do not parse, or name impossible components. */
  'malformed_signature',
  /** The declared algorithm is unknown, or does not fit the key. */
  'unsupported_algorithm',
  /** A component the policy requires is not covered, or a covered header is absent. */
  'missing_required_header',
  /** Date, `created` or `expires` outside the accepted window. */
  'date_out_of_range',
  /** Digest / Content-Digest does not match the body. */
  'digest_mismatch',
  /** Digest / Content-Digest uses no algorithm we can check (only MD5, SHA-1, ...). */
  'unsupported_digest',
  /** The resolver knows no key for the keyId. */
  'key_not_found',
  /** The resolver failed (network, timeout): worth retrying later, unlike key_not_found. */
  'key_unavailable',
  /** The resolved key material cannot be used (bad PEM, wrong kind of key). */
  'invalid_key',
  /** The signature does not verify with the key. */
  'bad_signature',
] as const;
export type VerificationFailureReason = (typeof VERIFICATION_FAILURES)[number];

export interface VerificationSuccess {
  readonly ok: true;
  readonly scheme: SignatureScheme;
  readonly keyId: string;
  /** The key owner reported by the resolver, if any: compare it with the activity's actor. */
  readonly owner?: string;
  /** The algorithm actually used (hs2019 resolves to the key's algorithm). */
  readonly algorithm: SignatureAlgorithm;
  /** RFC 9421 signature label. */
  readonly label?: string;
  /** Covered components, in signed order. */
  readonly covered: readonly string[];
}

export interface VerificationFailure {
  readonly ok: false;
  readonly reason: VerificationFailureReason;
  readonly message: string;
  readonly scheme?: SignatureScheme;
  readonly keyId?: string;
}

export type VerificationResult = VerificationSuccess | VerificationFailure;

/** What a key resolver returns: the key (parsed, or PEM to parse and cache) and its owner. */
export interface ResolvedKey {
  readonly key: KeyObject | string;
  readonly owner?: string;
  /** Set when the key came from a cache: a failed verification then asks once more with `refresh`. */
  readonly fromCache?: boolean;
  /**
   * The algorithm this key is used with, when known from the key's metadata (RFC 9421 §3.2: the
   * key may fix it). Used when the signature names none or says hs2019; a signature that names a
   * different one is refused (no downgrade).
   */
  readonly algorithm?: SignatureAlgorithm;
}

/**
 * Looks a keyId up. `refresh: true` asks to bypass caches (after a failed verification with a
 * cached key, e.g. the remote rotated its key). Return `null` when the key does not exist; throw
 * when the lookup failed (reported as `key_unavailable`).
 */
export type KeyResolver = (keyId: string, options: { readonly refresh: boolean }) => Promise<ResolvedKey | null> | ResolvedKey | null;

/** Internal step result: a value, or the failure that ends verification. */
export type Checked<T> = { readonly ok: true; readonly value: T } | VerificationFailure;

export function failure(reason: VerificationFailureReason, message: string): VerificationFailure {
  return { ok: false, reason, message };
}
