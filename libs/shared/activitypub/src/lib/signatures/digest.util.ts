import { createHash, hash as hashOneShot } from 'node:crypto';
import { isInnerList, parseDictionary, serializeDictionary } from 'structured-headers';
import { combinedHeader } from './header-values.util';
import { type HeaderMap, type RequestBody } from './http-signature.types';

/** Hash algorithms we compute and check, in RFC 9530 naming. */
export type DigestAlgorithm = 'sha-256' | 'sha-512';

const NODE_HASH: Readonly<Record<DigestAlgorithm, string>> = { 'sha-256': 'sha256', 'sha-512': 'sha512' };

/** `Digest: SHA-256=<base64>` (RFC 3230, as Mastodon sends and requires). */
export function digestHeader(body: RequestBody, algorithm: DigestAlgorithm = 'sha-256'): string {
  return `${algorithm.toUpperCase()}=${hash(body, algorithm).toString('base64')}`;
}

/** `Content-Digest: sha-256=:<base64>:` (RFC 9530). */
export function contentDigestHeader(body: RequestBody, algorithms: readonly DigestAlgorithm[] = ['sha-256']): string {
  return serializeDictionary(new Map(algorithms.map((algorithm) => [algorithm, [hash(body, algorithm), new Map()]])));
}

export type DigestCheck =
  | { readonly ok: true; readonly checked: readonly ('digest' | 'content-digest')[] }
  | { readonly ok: false; readonly reason: 'digest_mismatch' | 'unsupported_digest'; readonly message: string };

/**
 * Checks every Digest and Content-Digest header present against the body. Each present header
 * must carry at least one algorithm we support, and every supported entry must match. Entries
 * with other algorithms (MD5, SHA-1, ...) are ignored. `checked` lists the headers verified.
 */
export function verifyBodyDigests(headers: HeaderMap, body: RequestBody | undefined): DigestCheck {
  const bytes = body ?? '';
  const hashes = new Map<DigestAlgorithm, string>();
  const hashOnce = (algorithm: DigestAlgorithm): string => {
    let value = hashes.get(algorithm);
    if (value === undefined) {
      value = hashBase64(bytes, algorithm);
      hashes.set(algorithm, value);
    }
    return value;
  };
  const checked: ('digest' | 'content-digest')[] = [];

  const digest = combinedHeader(headers, 'digest');
  if (digest !== undefined) {
    const entries = parseDigestEntries(digest);
    const failure = checkEntries('Digest', entries, hashOnce);
    if (failure) return failure;
    checked.push('digest');
  }
  const contentDigest = combinedHeader(headers, 'content-digest');
  if (contentDigest !== undefined) {
    const entries = parseContentDigestEntries(contentDigest);
    if (entries === undefined) return { ok: false, reason: 'digest_mismatch', message: 'Content-Digest is not a valid structured dictionary' };
    const failure = checkEntries('Content-Digest', entries, hashOnce);
    if (failure) return failure;
    checked.push('content-digest');
  }
  return { ok: true, checked };
}

interface DigestEntry {
  readonly algorithm: string;
  /** The value as sent (base64); undefined when the entry has none. */
  readonly encoded: string | undefined;
}

function checkEntries(
  header: string,
  entries: readonly DigestEntry[],
  hashOnce: (algorithm: DigestAlgorithm) => string,
): DigestCheck | undefined {
  let supported = 0;
  for (const entry of entries) {
    if (entry.algorithm !== 'sha-256' && entry.algorithm !== 'sha-512') continue;
    supported++;
    if (!matches(entry.encoded, hashOnce(entry.algorithm))) {
      return { ok: false, reason: 'digest_mismatch', message: `${header} ${entry.algorithm} does not match the body` };
    }
  }
  if (supported === 0) return { ok: false, reason: 'unsupported_digest', message: `${header} has no sha-256 or sha-512 entry` };
  return undefined;
}

/**
 * Whether a sent base64 value is the expected hash. The usual value is the canonical encoding,
 * compared as text; anything else (unpadded, say) is decoded strictly and compared as bytes.
 */
function matches(encoded: string | undefined, expected: string): boolean {
  if (encoded === undefined) return false;
  if (encoded === expected) return true;
  const bytes = decodeBase64(encoded);
  return bytes !== undefined && bytes.equals(Buffer.from(expected, 'base64'));
}

/** RFC 3230: `SHA-256=abc=,SHA-512=def=`; algorithm names are case-insensitive. */
function parseDigestEntries(value: string): DigestEntry[] {
  return value.split(',').map((part) => {
    const trimmed = part.trim();
    const eq = trimmed.indexOf('=');
    if (eq <= 0) return { algorithm: trimmed.toLowerCase(), encoded: undefined };
    return { algorithm: trimmed.slice(0, eq).toLowerCase(), encoded: trimmed.slice(eq + 1).trim() };
  });
}

/** `alg=:base64:` alone: the usual Content-Digest, read without the general dictionary parser. */
const SINGLE_CONTENT_DIGEST = /^([a-z][a-z0-9_.*-]*)=:([A-Za-z0-9+/]*={0,2}):$/;

function parseContentDigestEntries(value: string): DigestEntry[] | undefined {
  const single = SINGLE_CONTENT_DIGEST.exec(value);
  if (single !== null) return [{ algorithm: single[1] as string, encoded: single[2] as string }];
  try {
    const entries: DigestEntry[] = [];
    for (const [algorithm, member] of parseDictionary(value)) {
      const bytes = isInnerList(member) ? undefined : member[0];
      entries.push({ algorithm, encoded: isByteSequence(bytes) ? Buffer.from(bytes).toString('base64') : undefined });
    }
    return entries;
  } catch {
    return undefined;
  }
}

/** Structured-field byte sequences parse to ArrayBuffer (checked by tag: Jest runs code in another realm). */
export function isByteSequence(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64, padding optional (Buffer.from would silently skip garbage). */
export function decodeBase64(value: string): Buffer | undefined {
  if (value.length === 0 || value.length % 4 === 1 || !BASE64.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

function hash(body: RequestBody, algorithm: DigestAlgorithm): Buffer {
  return createHash(NODE_HASH[algorithm]).update(body).digest();
}

/** One-shot hash straight to base64: about half the cost of createHash() on small bodies. */
function hashBase64(body: RequestBody, algorithm: DigestAlgorithm): string {
  return hashOneShot(NODE_HASH[algorithm], body, 'base64');
}
