import { contentDigestHeader, decodeBase64, digestHeader, verifyBodyDigests } from './digest.util';

// Known values: draft-cavage Appendix C (SHA-256) and RFC 9421 Appendix B.2 (SHA-512) for this body.
const BODY = '{"hello": "world"}';
const SHA256 = 'X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=';
const SHA512 = 'WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==';

describe('digest headers', () => {
  it('computes Digest (RFC 3230) and Content-Digest (RFC 9530) from strings and bytes alike', () => {
    expect(digestHeader(BODY)).toBe(`SHA-256=${SHA256}`);
    expect(digestHeader(Buffer.from(BODY), 'sha-512')).toBe(`SHA-512=${SHA512}`);
    expect(contentDigestHeader(BODY)).toBe(`sha-256=:${SHA256}:`);
    expect(contentDigestHeader(new TextEncoder().encode(BODY), ['sha-256', 'sha-512'])).toBe(`sha-256=:${SHA256}:, sha-512=:${SHA512}:`);
  });

  it('verifies every header present, names which ones, and accepts any algorithm case', () => {
    expect(verifyBodyDigests({ digest: `sha-256=${SHA256}`, 'content-digest': `sha-512=:${SHA512}:` }, BODY)).toEqual({
      ok: true,
      checked: ['digest', 'content-digest'],
    });
    expect(verifyBodyDigests({ digest: `SHA-256=${SHA256},SHA-512=${SHA512}` }, BODY)).toEqual({ ok: true, checked: ['digest'] });
    expect(verifyBodyDigests({}, BODY)).toEqual({ ok: true, checked: [] });
  });

  it('ignores algorithms it cannot check when a supported one is present', () => {
    expect(verifyBodyDigests({ digest: `MD5=abc=, SHA-256=${SHA256}` }, BODY)).toMatchObject({ ok: true });
    expect(verifyBodyDigests({ 'content-digest': `md5=:AAAA:, sha-256=:${SHA256}:` }, BODY)).toMatchObject({ ok: true });
  });

  it.each([
    ['a different body', { digest: `SHA-256=${SHA256}` }, `${BODY} `, 'digest_mismatch'],
    ['one bad entry among good ones', { digest: `SHA-256=${SHA256},SHA-512=${SHA256}` }, BODY, 'digest_mismatch'],
    ['a good Digest but a bad Content-Digest', { digest: `SHA-256=${SHA256}`, 'content-digest': `sha-256=:${SHA512}:` }, BODY, 'digest_mismatch'],
    ['garbage base64', { digest: 'SHA-256=not*base64' }, BODY, 'digest_mismatch'],
    ['a Content-Digest that is not a dictionary', { 'content-digest': 'sha-256=abc' }, BODY, 'digest_mismatch'],
    ['only MD5 / SHA-1', { digest: 'MD5=abc=,SHA=abc=' }, BODY, 'unsupported_digest'],
  ])('fails for %s', (_what, headers, body, reason) => {
    expect(verifyBodyDigests(headers, body)).toMatchObject({ ok: false, reason });
  });

  it('compares the canonical encoding as text and any other valid encoding as bytes', () => {
    const unpadded = SHA256.replace(/=+$/, '');
    expect(verifyBodyDigests({ digest: `SHA-256=${unpadded}` }, BODY)).toMatchObject({ ok: true });
    expect(verifyBodyDigests({ 'content-digest': `sha-512=:${SHA512}:, sha-256=:${SHA256}:` }, BODY)).toMatchObject({ ok: true });
    // base64url and stray characters are not base64, even where Buffer.from would decode them.
    expect(verifyBodyDigests({ digest: `SHA-512=${SHA512.replace(/\+/g, '-').replace(/\//g, '_')}` }, BODY)).toMatchObject({ ok: false, reason: 'digest_mismatch' });
    expect(verifyBodyDigests({ digest: `SHA-256=${SHA256.slice(0, 8)}*${SHA256.slice(8)}` }, BODY)).toMatchObject({ ok: false, reason: 'digest_mismatch' });
    expect(verifyBodyDigests({ digest: 'SHA-256=' }, BODY)).toMatchObject({ ok: false, reason: 'digest_mismatch' });
  });

  it('treats a missing body as empty', () => {
    expect(verifyBodyDigests({ digest: digestHeader('') }, undefined)).toMatchObject({ ok: true });
  });

  it('decodes base64 strictly', () => {
    expect(decodeBase64('AAAA')?.length).toBe(3);
    expect(decodeBase64('AAA')?.length).toBe(2);
    expect(decodeBase64('A')).toBeUndefined();
    expect(decodeBase64('AA-_')).toBeUndefined();
    expect(decodeBase64('')).toBeUndefined();
  });
});
