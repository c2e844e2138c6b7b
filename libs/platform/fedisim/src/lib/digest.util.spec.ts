import { createHash } from 'node:crypto';
import { computeDigestHeaders, verifyBodyDigests } from './digest.util';

const body = Buffer.from('{"id":"https://a.example/1","type":"Create"}');
const sha256 = createHash('sha256').update(body).digest('base64');
const sha512 = createHash('sha512').update(body).digest('base64');

describe('computeDigestHeaders', () => {
  it('writes the SHA-256 of the body in RFC 3230 and RFC 9530 syntax', () => {
    expect(computeDigestHeaders(body)).toEqual({ digest: `SHA-256=${sha256}`, contentDigest: `sha-256=:${sha256}:` });
  });
});

describe('verifyBodyDigests', () => {
  it('accepts a matching Digest, whatever the case of the algorithm', () => {
    expect(verifyBodyDigests({ digest: `sha-256=${sha256}` }, body)).toEqual({ ok: true });
    expect(verifyBodyDigests({ digest: `SHA-512=${sha512}` }, body)).toEqual({ ok: true });
  });

  it('accepts a matching Content-Digest, with several members', () => {
    expect(verifyBodyDigests({ 'content-digest': `sha-512=:${sha512}:, sha-256=:${sha256}:` }, body)).toEqual({ ok: true });
  });

  it('rejects a body that does not match', () => {
    const tampered = Buffer.from(body.toString().replace('Create', 'Delete'));
    const result = verifyBodyDigests({ digest: `SHA-256=${sha256}` }, tampered);
    expect(result).toEqual({ ok: false, reason: 'Digest sha-256 does not match the body' });
  });

  it('rejects when one of two headers disagrees with the body', () => {
    const other = createHash('sha256').update('other').digest('base64');
    const result = verifyBodyDigests({ digest: `SHA-256=${sha256}`, 'content-digest': `sha-256=:${other}:` }, body);
    expect(result.ok).toBe(false);
  });

  it('requires a supported digest unless told otherwise', () => {
    expect(verifyBodyDigests({}, body).ok).toBe(false);
    expect(verifyBodyDigests({ digest: 'MD5=abc' }, body).ok).toBe(false);
    expect(verifyBodyDigests({}, body, false)).toEqual({ ok: true });
  });

  it('rejects malformed headers with a reason', () => {
    expect(verifyBodyDigests({ 'content-digest': `sha-256=${sha256}` }, body)).toEqual({
      ok: false,
      reason: `malformed Content-Digest member "sha-256=${sha256}"`,
    });
    expect(verifyBodyDigests({ digest: 'nonsense' }, body).ok).toBe(false);
  });
});
