import { createHash, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders } from 'node:http';

// Body digests, written here from RFC 3230 (Digest) and RFC 9530 (Content-Digest) rather than
// taken from our own ActivityPub library, so that a bug there cannot hide a bug here.

const HASHES: Readonly<Record<string, 'sha256' | 'sha512'>> = {
  'sha-256': 'sha256',
  'sha-512': 'sha512',
};

export type DigestCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Digest (RFC 3230) and Content-Digest (RFC 9530) values for a body, both SHA-256. */
export function computeDigestHeaders(body: Buffer | string): { digest: string; contentDigest: string } {
  const hash = createHash('sha256').update(body).digest('base64');
  return { digest: `SHA-256=${hash}`, contentDigest: `sha-256=:${hash}:` };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** `SHA-256=abc=, SHA-512=def=` -> [['sha-256', 'abc='], ...]. Algorithm names are case-insensitive. */
function parseRfc3230(value: string): Array<[string, string]> {
  return value
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member.length > 0)
    .map((member) => {
      const eq = member.indexOf('=');
      if (eq <= 0) throw new Error(`malformed Digest member "${member}"`);
      return [member.slice(0, eq).toLowerCase(), member.slice(eq + 1)];
    });
}

const RFC9530_MEMBER = /^([a-z*][a-z0-9_.*-]*)=:([A-Za-z0-9+/]*={0,2}):(;.*)?$/;

/** `sha-256=:abc=:, sha-512=:def=:` -> [['sha-256', 'abc='], ...] (a structured-field dictionary of byte sequences). */
function parseRfc9530(value: string): Array<[string, string]> {
  return value
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member.length > 0)
    .map((member) => {
      const match = RFC9530_MEMBER.exec(member);
      if (!match) throw new Error(`malformed Content-Digest member "${member}"`);
      return [match[1], match[2]];
    });
}

/**
 * Checks every supported digest present against the body. At least one supported digest must be
 * present (unless `required` is false); unknown algorithms are ignored, a mismatch fails.
 */
export function verifyBodyDigests(headers: IncomingHttpHeaders, body: Buffer, required = true): DigestCheck {
  const digest = headerValue(headers, 'digest');
  const contentDigest = headerValue(headers, 'content-digest');
  let members: Array<[string, string, string]>;
  try {
    members = [
      ...(digest === undefined ? [] : parseRfc3230(digest).map(([a, v]): [string, string, string] => ['Digest', a, v])),
      ...(contentDigest === undefined
        ? []
        : parseRfc9530(contentDigest).map(([a, v]): [string, string, string] => ['Content-Digest', a, v])),
    ];
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const supported = members.filter(([, algorithm]) => HASHES[algorithm] !== undefined);
  if (supported.length === 0) {
    return required ? { ok: false, reason: 'no Digest or Content-Digest with sha-256 or sha-512' } : { ok: true };
  }
  for (const [header, algorithm, value] of supported) {
    const expected = createHash(HASHES[algorithm]).update(body).digest();
    const given = Buffer.from(value, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: `${header} ${algorithm} does not match the body` };
    }
  }
  return { ok: true };
}
