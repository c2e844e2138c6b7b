import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { HttpSignatureVerifier, type HttpSignatureVerifierOptions } from './http-signature-verifier.service';
import { type KeyResolver, type ResolvedKey, type SignatureRequest } from './http-signature.types';
import { KeyObjectCache } from './key-object-cache.util';
import { signRequest, type SignRequestOptions } from './sign-request.util';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const KEY_ID = 'https://remote.example/users/alice#main-key';
const OWNER = 'https://remote.example/users/alice';
const INBOX = 'https://peerfed.example/inbox';
const BODY = JSON.stringify({ id: 'https://remote.example/activities/1', type: 'Follow' });

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** Signs a POST to our inbox and turns it into what the inbox receives (origin-form URL). */
function signedPost(overrides: Partial<SignRequestOptions> = {}, body: string = BODY): SignatureRequest & { headers: Record<string, string> } {
  const headers = { 'content-type': 'application/activity+json', ...overrides.headers };
  const added = signRequest({
    method: 'POST',
    url: INBOX,
    headers,
    body,
    keyId: KEY_ID,
    privateKey: rsa.privateKey,
    scheme: 'cavage',
    now: () => NOW,
    ...overrides,
  });
  return { method: 'POST', url: '/inbox', headers: { ...lower(headers), ...added }, body };
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function verifierWith(key: ResolvedKey | null | KeyResolver, options: Partial<HttpSignatureVerifierOptions> = {}): HttpSignatureVerifier {
  const resolveKey: KeyResolver = typeof key === 'function' ? key : () => key;
  return new HttpSignatureVerifier({ resolveKey, now: () => NOW, ...options });
}

const rsaVerifier = verifierWith({ key: rsa.publicKey, owner: OWNER });

describe('HttpSignatureVerifier', () => {
  describe('accepts what signRequest produces', () => {
    it.each([
      { scheme: 'cavage', key: rsa, algorithm: 'rsa-v1_5-sha256' },
      { scheme: 'cavage', key: ed, algorithm: 'ed25519' },
      { scheme: 'rfc9421', key: rsa, algorithm: 'rsa-v1_5-sha256' },
      { scheme: 'rfc9421', key: ed, algorithm: 'ed25519' },
      { scheme: 'rfc9421', key: ec, algorithm: 'ecdsa-p256-sha256' },
    ] as const)('$scheme with $algorithm', async ({ scheme, key, algorithm }) => {
      const request = signedPost({ scheme, privateKey: key.privateKey });
      const result = await verifierWith({ key: key.publicKey, owner: OWNER }).verify(request);
      expect(result).toMatchObject({ ok: true, scheme, keyId: KEY_ID, owner: OWNER, algorithm });
    });

    it('rfc9421 with an HMAC shared secret', async () => {
      const secret = createSecretKey(Buffer.from('a shared secret of some length!!'));
      const request = signedPost({ scheme: 'rfc9421', privateKey: secret });
      expect(await verifierWith({ key: secret }).verify(request)).toMatchObject({ ok: true, algorithm: 'hmac-sha256' });
    });

    it('a signed GET without body and digest (actor fetch)', async () => {
      for (const scheme of ['cavage', 'rfc9421'] as const) {
        const added = signRequest({ method: 'GET', url: 'https://peerfed.example/users/demo', keyId: KEY_ID, privateKey: rsa.privateKey, scheme, now: () => NOW });
        expect(added['digest'] ?? added['content-digest']).toBeUndefined();
        const result = await rsaVerifier.verify({ method: 'GET', url: '/users/demo', headers: added });
        expect(result).toMatchObject({ ok: true, scheme });
      }
    });

    it('an absolute URL and repeated header lines (arrays are joined with ", ")', async () => {
      const request = signedPost({ headers: { 'x-trace': 'a, b' }, components: ['(request-target)', 'host', 'date', 'digest', 'x-trace'] });
      const asReceived = { ...request, url: INBOX, headers: { ...request.headers, 'x-trace': ['a', ' b '] } };
      expect(await rsaVerifier.verify(asReceived)).toMatchObject({ ok: true });
    });

    it('hs2019 with an RSA key means RSASSA-PKCS1-v1_5 SHA-256, as Mastodon sends it', async () => {
      const request = signedPost({ algorithm: 'hs2019' });
      expect(request.headers.signature).toContain('algorithm="hs2019"');
      expect(await rsaVerifier.verify(request)).toMatchObject({ ok: true, algorithm: 'rsa-v1_5-sha256' });
    });

    it('cavage (created)/(expires) with hs2019', async () => {
      const components = ['(request-target)', 'host', '(created)', '(expires)', 'digest'];
      const request = signedPost({ privateKey: ed.privateKey, components, expiresInSeconds: 300 });
      expect(request.headers.signature).toMatch(/created=\d+,expires=\d+/);
      const verifier = verifierWith({ key: ed.publicKey });
      expect(await verifier.verify(request)).toMatchObject({ ok: true, covered: components });
      const late = verifierWith({ key: ed.publicKey }, { now: () => NOW + 400_000 });
      expect(await late.verify(request)).toMatchObject({ ok: false, reason: 'date_out_of_range' });
    });
  });

  describe('failure codes', () => {
    it('missing_signature without any signature header', async () => {
      const { signature: _omit, ...headers } = signedPost().headers;
      expect(await rsaVerifier.verify({ method: 'POST', url: '/inbox', headers, body: BODY })).toMatchObject({
        ok: false,
        reason: 'missing_signature',
      });
    });

    it('missing_signature when Signature-Input has no matching Signature header', async () => {
      const request = signedPost({ scheme: 'rfc9421' });
      const { signature: _omit, ...headers } = request.headers;
      expect(await rsaVerifier.verify({ ...request, headers })).toMatchObject({ ok: false, reason: 'missing_signature' });
    });

    it.each([
      ['garbage', 'this is not a signature'],
      ['an unterminated quote', 'keyId="abc,signature="AAAA'],
      ['no keyId', 'signature="AAAA",headers="date"'],
      ['a non-base64 signature', 'keyId="k",signature="!!!"'],
      ['a repeated parameter', 'keyId="k",keyId="j",signature="AAAA"'],
    ])('malformed_signature for %s', async (_what, header) => {
      const request = signedPost();
      const result = await rsaVerifier.verify({ ...request, headers: { ...request.headers, signature: header } });
      expect(result).toMatchObject({ ok: false, reason: 'malformed_signature', scheme: 'cavage' });
    });

    it('malformed_signature for an unparseable RFC 9421 dictionary and for two Signature headers', async () => {
      const rfc = signedPost({ scheme: 'rfc9421' });
      expect(await rsaVerifier.verify({ ...rfc, headers: { ...rfc.headers, 'signature-input': 'sig1=(("bad' } })).toMatchObject({
        reason: 'malformed_signature',
      });
      const cavage = signedPost();
      const twice = { ...cavage.headers, signature: [cavage.headers.signature, cavage.headers.signature] };
      expect(await rsaVerifier.verify({ ...cavage, headers: twice })).toMatchObject({ reason: 'malformed_signature' });
    });

    it('unsupported_algorithm before any key lookup', async () => {
      const resolveKey = jest.fn(() => ({ key: rsa.publicKey }));
      const request = signedPost();
      const header = request.headers.signature.replace('algorithm="rsa-sha256"', 'algorithm="rsa-sha1"');
      const result = await verifierWith(resolveKey).verify({ ...request, headers: { ...request.headers, signature: header } });
      expect(result).toMatchObject({ ok: false, reason: 'unsupported_algorithm', keyId: KEY_ID });
      expect(resolveKey).not.toHaveBeenCalled();
    });

    it('unsupported_algorithm when the declared algorithm does not fit the key', async () => {
      const request = signedPost();
      expect(await verifierWith({ key: ed.publicKey }).verify(request)).toMatchObject({ ok: false, reason: 'unsupported_algorithm' });
    });

    it('missing_required_header when the digest is not covered', async () => {
      const request = signedPost({ components: ['(request-target)', 'host', 'date'] });
      expect(await rsaVerifier.verify(request)).toMatchObject({ ok: false, reason: 'missing_required_header' });
      const rfc = signedPost({ scheme: 'rfc9421', components: ['@method', '@target-uri', 'date'] });
      expect(await rsaVerifier.verify(rfc)).toMatchObject({ ok: false, reason: 'missing_required_header' });
    });

    it.each([
      [['host', 'date', 'digest'], 'the request target'],
      [['(request-target)', 'date', 'digest'], 'the host'],
      [['(request-target)', 'host', 'digest'], 'a time'],
    ])('missing_required_header when %j leaves out %s', async (components, missing) => {
      const result = await rsaVerifier.verify(signedPost({ components }));
      expect(result).toMatchObject({ ok: false, reason: 'missing_required_header' });
      expect(!result.ok && result.message).toContain(missing);
    });

    it('missing_required_header when a covered header is absent from the request', async () => {
      const request = signedPost();
      const { date: _omit, ...headers } = request.headers;
      expect(await rsaVerifier.verify({ ...request, headers })).toMatchObject({ ok: false, reason: 'missing_required_header' });
    });

    it('digest_mismatch on a tampered body, for both schemes', async () => {
      for (const scheme of ['cavage', 'rfc9421'] as const) {
        const request = signedPost({ scheme });
        const result = await rsaVerifier.verify({ ...request, body: BODY.replace('Follow', 'Delete') });
        expect(result).toMatchObject({ ok: false, reason: 'digest_mismatch', scheme });
      }
    });

    it('unsupported_digest when the digest uses only algorithms we cannot check', async () => {
      const request = signedPost();
      const headers = { ...request.headers, digest: 'MD5=rL0Y20zC+Fzt72VPzMSk2A==' };
      expect(await rsaVerifier.verify({ ...request, headers })).toMatchObject({ ok: false, reason: 'unsupported_digest' });
    });

    it.each([
      ['two hours old', -2 * 3600_000],
      ['two hours ahead', 2 * 3600_000],
    ])('date_out_of_range for a Date %s', async (_what, offset) => {
      const request = signedPost({ now: () => NOW + offset });
      expect(await rsaVerifier.verify(request)).toMatchObject({ ok: false, reason: 'date_out_of_range' });
    });

    it('date_out_of_range honours maxSkewSeconds and an unparseable Date', async () => {
      const request = signedPost({ now: () => NOW - 120_000 });
      expect(await verifierWith({ key: rsa.publicKey }, { maxSkewSeconds: 60 }).verify(request)).toMatchObject({ reason: 'date_out_of_range' });
      expect(await rsaVerifier.verify(request)).toMatchObject({ ok: true });
      const garbled = signedPost({ headers: { date: 'yesterday' } });
      expect(await rsaVerifier.verify(garbled)).toMatchObject({ reason: 'date_out_of_range' });
    });

    it('date_out_of_range for an RFC 9421 created too far in the future and an expired signature', async () => {
      const future = signedPost({ scheme: 'rfc9421', now: () => NOW + 2 * 3600_000, headers: { date: new Date(NOW).toUTCString() } });
      expect(await rsaVerifier.verify(future)).toMatchObject({ reason: 'date_out_of_range' });
      const expiring = signedPost({ scheme: 'rfc9421', expiresInSeconds: 30 });
      expect(await rsaVerifier.verify(expiring)).toMatchObject({ ok: true });
      const later = verifierWith({ key: rsa.publicKey }, { now: () => NOW + 120_000 });
      expect(await later.verify(expiring)).toMatchObject({ ok: false, reason: 'date_out_of_range' });
    });

    it('bad_signature with the wrong key', async () => {
      const result = await verifierWith({ key: otherRsa.publicKey }).verify(signedPost());
      expect(result).toMatchObject({ ok: false, reason: 'bad_signature', keyId: KEY_ID });
    });

    it('bad_signature when a covered value changed (path, host, method, scheme)', async () => {
      const cavage = signedPost();
      expect(await rsaVerifier.verify({ ...cavage, url: '/users/alice/inbox' })).toMatchObject({ reason: 'bad_signature' });
      expect(await rsaVerifier.verify({ ...cavage, headers: { ...cavage.headers, host: 'evil.example' } })).toMatchObject({
        reason: 'bad_signature',
      });
      const rfc = signedPost({ scheme: 'rfc9421' });
      expect(await rsaVerifier.verify({ ...rfc, method: 'PUT' })).toMatchObject({ reason: 'bad_signature' });
      expect(await rsaVerifier.verify({ ...rfc, scheme: 'http' })).toMatchObject({ reason: 'bad_signature' });
    });

    it('key_not_found, key_unavailable and invalid_key from the resolver', async () => {
      const request = signedPost();
      expect(await verifierWith(null).verify(request)).toMatchObject({ ok: false, reason: 'key_not_found', keyId: KEY_ID });
      const failing = verifierWith(() => Promise.reject(new Error('connect ETIMEDOUT')));
      expect(await failing.verify(request)).toMatchObject({ ok: false, reason: 'key_unavailable', message: expect.stringContaining('ETIMEDOUT') });
      expect(await verifierWith({ key: 'not a pem' }).verify(request)).toMatchObject({ ok: false, reason: 'invalid_key' });
    });
  });

  describe('keys', () => {
    it('parses a PEM once and reuses the KeyObject from the cache', async () => {
      const keyCache = new KeyObjectCache(8);
      const verifier = verifierWith({ key: rsaPem }, { keyCache });
      expect(await verifier.verify(signedPost())).toMatchObject({ ok: true });
      expect(await verifier.verify(signedPost({ scheme: 'rfc9421' }))).toMatchObject({ ok: true });
      expect(keyCache.size).toBe(1);
      expect(keyCache.publicKey(rsaPem)).toBe(keyCache.publicKey(rsaPem));
    });

    it('refetches once with refresh when a cached key fails (key rotation)', async () => {
      const resolveKey = jest.fn((_keyId: string, { refresh }: { refresh: boolean }): ResolvedKey =>
        refresh ? { key: otherRsa.publicKey, fromCache: false } : { key: rsa.publicKey, fromCache: true },
      );
      const rotated = signedPost({ privateKey: otherRsa.privateKey });
      expect(await verifierWith(resolveKey).verify(rotated)).toMatchObject({ ok: true });
      expect(resolveKey.mock.calls.map(([, options]) => options.refresh)).toEqual([false, true]);
    });

    it('does not refetch a key that did not come from a cache, nor when refetching is off', async () => {
      const fresh = jest.fn((): ResolvedKey => ({ key: rsa.publicKey }));
      const rotated = signedPost({ privateKey: otherRsa.privateKey });
      expect(await verifierWith(fresh).verify(rotated)).toMatchObject({ reason: 'bad_signature' });
      expect(fresh).toHaveBeenCalledTimes(1);
      const cached = jest.fn((): ResolvedKey => ({ key: rsa.publicKey, fromCache: true }));
      expect(await verifierWith(cached, { refetchOnFailure: false }).verify(rotated)).toMatchObject({ reason: 'bad_signature' });
      expect(cached).toHaveBeenCalledTimes(1);
    });

    it('prepare() does every key-free check without calling the resolver', () => {
      const resolveKey = jest.fn(() => null);
      const verifier = verifierWith(resolveKey);
      const prepared = verifier.prepare(signedPost({ scheme: 'rfc9421' }));
      expect(prepared).toMatchObject({ ok: true, value: { scheme: 'rfc9421', keyId: KEY_ID, label: 'sig1' } });
      if (!prepared.ok) throw new Error(prepared.message);
      expect(verifier.verifyPrepared(prepared.value, rsa.publicKey)).toMatchObject({ ok: true });
      expect(resolveKey).not.toHaveBeenCalled();
    });
  });
});
