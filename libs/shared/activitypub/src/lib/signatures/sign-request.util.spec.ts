import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { contentDigestHeader, digestHeader } from './digest.util';
import { signRequest, type SignRequestOptions } from './sign-request.util';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const BODY = '{"type":"Accept"}';
const base: SignRequestOptions = {
  method: 'POST',
  url: 'https://remote.example:8443/users/bob/inbox',
  body: BODY,
  keyId: 'https://peerfed.example/challenges/demo#main-key',
  privateKey: rsa.privateKey,
  scheme: 'cavage',
  now: () => NOW,
};

describe('signRequest', () => {
  it('cavage: Mastodon-style headers (request-target) host date digest with rsa-sha256', () => {
    const headers = signRequest(base);
    expect(Object.keys(headers)).toEqual(['host', 'date', 'digest', 'signature']);
    expect(headers).toMatchObject({ host: 'remote.example:8443', date: 'Sun, 22 Nov 2026 12:00:00 GMT', digest: digestHeader(BODY) });
    expect(headers['signature']).toMatch(
      /^keyId="https:\/\/peerfed\.example\/challenges\/demo#main-key",algorithm="rsa-sha256",headers="\(request-target\) host date digest",signature="[A-Za-z0-9+/=]+"$/,
    );
  });

  it('cavage with Ed25519 says hs2019; a GET has no digest', () => {
    const headers = signRequest({ ...base, method: 'GET', body: undefined, privateKey: ed.privateKey });
    expect(headers['digest']).toBeUndefined();
    expect(headers['signature']).toContain('algorithm="hs2019",headers="(request-target) host date",');
  });

  it('rfc9421: Signature-Input with created, keyid and alg, and a Content-Digest', () => {
    const headers = signRequest({ ...base, scheme: 'rfc9421', expiresInSeconds: 300, nonce: 'n1', tag: 'peerfed' });
    expect(Object.keys(headers)).toEqual(['host', 'date', 'content-digest', 'signature-input', 'signature']);
    expect(headers['content-digest']).toBe(contentDigestHeader(BODY));
    const created = NOW / 1000;
    expect(headers['signature-input']).toBe(
      `sig1=("@method" "@target-uri" "@authority" "date" "content-digest");created=${created};keyid="${base.keyId}";alg="rsa-v1_5-sha256";expires=${created + 300};nonce="n1";tag="peerfed"`,
    );
    expect(headers['signature']).toMatch(/^sig1=:[A-Za-z0-9+/=]+:$/);
  });

  it('rfc9421 derives alg from the key and honours a label', () => {
    expect(signRequest({ ...base, scheme: 'rfc9421', privateKey: ed.privateKey, label: 'peerfed' })['signature-input']).toMatch(
      /^peerfed=\(.*\);created=\d+;keyid="[^"]+";alg="ed25519"$/,
    );
    expect(signRequest({ ...base, scheme: 'rfc9421', privateKey: ec.privateKey })['signature-input']).toContain('alg="ecdsa-p256-sha256"');
    expect(signRequest({ ...base, scheme: 'rfc9421', privateKey: createSecretKey(Buffer.alloc(32, 1)) })['signature-input']).toContain('alg="hmac-sha256"');
  });

  it('keeps a Date and Host the caller already set (any case) and does not return them', () => {
    const headers = signRequest({ ...base, headers: { Date: 'Sun, 22 Nov 2026 11:59:59 GMT', HOST: 'remote.example:8443' } });
    expect(headers['date']).toBeUndefined();
    expect(headers['host']).toBeUndefined();
    expect(headers['signature']).toBeDefined();
  });

  it.each<[string, Partial<SignRequestOptions>, RegExp]>([
    ['a relative URL', { url: '/inbox' }, /absolute URL/],
    ['a non-http URL', { url: 'ftp://remote.example/inbox' }, /http/],
    ['a keyId with a quote', { keyId: 'a"b' }, /keyId/],
    ['a bad method', { method: 'PO ST' }, /method/],
    ['an ECDSA key in the draft scheme', { privateKey: ec.privateKey }, /does not fit/],
    ['an algorithm that does not fit the key', { scheme: 'rfc9421', algorithm: 'ed25519' }, /does not fit/],
    ['an unknown draft algorithm', { algorithm: 'rsa-sha1' }, /does not fit/],
    ['a covered header that is absent', { components: ['(request-target)', 'x-missing'] }, /x-missing/],
    ['an invalid expiry', { scheme: 'rfc9421', expiresInSeconds: -5 }, /expiresInSeconds/],
  ])('throws for %s', (_what, overrides, message) => {
    expect(() => signRequest({ ...base, ...overrides })).toThrow(message);
  });
});
