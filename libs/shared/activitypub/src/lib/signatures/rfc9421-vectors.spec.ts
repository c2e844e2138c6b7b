import { createSecretKey, type KeyObject } from 'node:crypto';
import { type BareItem } from 'structured-headers';
import vectors from '../../fixtures/http-signatures/rfc9421-appendix-b.json';
import { HttpSignatureVerifier, type PreparedSignature } from './http-signature-verifier.service';
import { type SignatureAlgorithm, type SignatureRequest } from './http-signature.types';
import { parsePrivateKeyPem, parsePublicKeyPem } from './keys.util';
import { requestTarget, type RequestTarget } from './request-target.util';
import { parseRfc9421Headers, rfc9421SignatureBase, rfc9421SignatureHeader, rfc9421SignatureInput } from './rfc9421-signature.util';
import { signBase } from './signature-algorithm.util';

// RFC 9421 Appendix B (and the §3.1 / §4.3 examples): expected values are the RFC's, verbatim.
type KeyName = keyof typeof vectors.keys;
const secret = createSecretKey(Buffer.from(vectors.keys['test-shared-secret'].secretBase64, 'base64'));
const publicKeys: Record<string, KeyObject> = {
  'test-key-rsa': parsePublicKeyPem(vectors.keys['test-key-rsa'].publicKeyPem),
  'test-key-rsa-pss': parsePublicKeyPem(vectors.keys['test-key-rsa-pss'].publicKeyPem),
  'test-key-ecc-p256': parsePublicKeyPem(vectors.keys['test-key-ecc-p256'].publicKeyPem),
  'test-key-ed25519': parsePublicKeyPem(vectors.keys['test-key-ed25519'].publicKeyPem),
  'test-shared-secret': secret,
};
// The RFC's PSS examples name no `alg`: "the verifier is known by the application to use RSA PSS
// based on the identified key", which is what ResolvedKey.algorithm expresses.
const keyAlgorithms: Record<string, SignatureAlgorithm> = { 'test-key-rsa-pss': 'rsa-pss-sha512' };
const privateKey = (name: Exclude<KeyName, 'test-shared-secret'>): KeyObject => parsePrivateKeyPem(vectors.keys[name].privateKeyPem);

const created = 1618884473;
const verifier = new HttpSignatureVerifier({
  resolveKey: (keyId) => (publicKeys[keyId] ? { key: publicKeys[keyId], algorithm: keyAlgorithms[keyId] } : null),
  now: () => created * 1000,
});

function signedRequest(base: SignatureRequest, signatureInput: string, signature: string): SignatureRequest {
  return { ...base, headers: { ...base.headers, 'signature-input': signatureInput, signature } };
}

/** Parses the request's signature headers and builds the base for one label, without policy checks. */
function prepareLabel(request: SignatureRequest, label: string): PreparedSignature {
  const parsed = parseRfc9421Headers(request.headers);
  if (!parsed.ok) throw new Error(parsed.message);
  const input = parsed.value.inputs.find((candidate) => candidate.label === label);
  const signature = parsed.value.signatures.get(label);
  if (input?.keyId === undefined || signature === undefined) throw new Error(`no ${label}`);
  const base = rfc9421SignatureBase(request, requestTarget(request) as RequestTarget, input.innerList);
  if (!base.ok) throw new Error(base.message);
  return {
    scheme: 'rfc9421',
    keyId: input.keyId,
    label,
    covered: input.componentNames,
    base: Buffer.from(base.value),
    signature,
    ...(input.alg !== undefined && { declaredAlgorithm: input.alg }),
  };
}

const cases = Object.entries(vectors.cases).map(([label, testCase]) => ({ label, ...testCase }));

describe('RFC 9421 Appendix B.2 test cases', () => {
  it.each(cases)('$section ($label) rebuilds the signature base of the RFC', ({ label, signatureInput, signature, signatureBase }) => {
    const request = signedRequest(vectors.testRequest, signatureInput, signature);
    expect(prepareLabel(request, label).base.toString()).toBe(signatureBase);
  });

  it.each(cases)('$section ($label) verifies with the RFC key', ({ label, key, signatureInput, signature }) => {
    const request = signedRequest(vectors.testRequest, signatureInput, signature);
    const result = verifier.verifyPrepared(prepareLabel(request, label), publicKeys[key as string] as KeyObject, {
      algorithm: keyAlgorithms[key as string],
    });
    expect(result).toMatchObject({ ok: true, keyId: key, label });
  });

  it.each(cases)('$section ($label) fails when one byte of the base changes', ({ label, key, signatureInput, signature }) => {
    const request = signedRequest(vectors.testRequest, signatureInput, signature);
    const tampered = { ...vectors.testRequest.headers, host: 'example.org' };
    const prepared = prepareLabel({ ...request, headers: { ...request.headers, ...tampered, date: 'Tue, 20 Apr 2021 02:07:56 GMT' } }, label);
    const result = verifier.verifyPrepared(prepared, publicKeys[key as string] as KeyObject, { algorithm: keyAlgorithms[key as string] });
    // B.2.1 covers no component at all (the RFC warns about exactly that), so it still verifies.
    expect(result.ok).toBe(label === 'sig-b21');
  });

  describe.each([
    { label: 'sig-b25', keyName: 'test-shared-secret', components: ['date', '@authority', 'content-type'] },
    { label: 'sig-b26', keyName: 'test-key-ed25519', components: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'] },
  ] as const)('$label is deterministic and reproduced exactly', ({ label, keyName, components }) => {
    const testCase = vectors.cases[label];
    const params = new Map<string, BareItem>([
      ['created', created],
      ['keyid', keyName],
    ]);
    const input = rfc9421SignatureInput(label, components, params);
    const request = vectors.testRequest;
    const signingKey = keyName === 'test-shared-secret' ? secret : privateKey(keyName);
    const algorithm = keyName === 'test-shared-secret' ? 'hmac-sha256' : 'ed25519';

    it('Signature-Input', () => {
      expect(input.header).toBe(testCase.signatureInput);
    });

    it('signature base', () => {
      expect(rfc9421SignatureBase(request, requestTarget(request) as RequestTarget, input.innerList)).toEqual({
        ok: true,
        value: testCase.signatureBase,
      });
    });

    it('Signature', () => {
      const signature = signBase(algorithm, signingKey, Buffer.from(testCase.signatureBase));
      expect(rfc9421SignatureHeader(label, signature)).toBe(testCase.signature);
    });
  });

  it('B.2.6 passes the full verifier when the digest requirement is relaxed (it covers no Content-Digest)', async () => {
    const testCase = vectors.cases['sig-b26'];
    const request = signedRequest(vectors.testRequest, testCase.signatureInput, testCase.signature);
    expect(await verifier.verify(request)).toMatchObject({ ok: false, reason: 'missing_required_header' });
    const relaxed = new HttpSignatureVerifier({
      resolveKey: () => ({ key: publicKeys['test-key-ed25519'] as KeyObject }),
      now: () => created * 1000,
      requireDigest: false,
    });
    expect(await relaxed.verify(request)).toEqual({
      ok: true,
      scheme: 'rfc9421',
      keyId: 'test-key-ed25519',
      label: 'sig-b26',
      algorithm: 'ed25519',
      covered: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
    });
  });

  it('the §3.1 example (rsa-pss-sha512) rebuilds its base and verifies', () => {
    const components = ['@method', '@authority', '@path', 'content-digest', 'content-length', 'content-type'];
    const input = rfc9421SignatureInput('sig1', components, new Map<string, BareItem>([['created', created], ['keyid', 'test-key-rsa-pss']]));
    const request = signedRequest(vectors.testRequest, input.header, rfc9421SignatureHeader('sig1', Buffer.from(vectors.section3_1.signatureValue, 'base64')));
    const prepared = prepareLabel(request, 'sig1');
    expect(prepared.base.toString()).toBe(vectors.section3_1.signatureBase);
    const pss = publicKeys['test-key-rsa-pss'] as KeyObject;
    expect(verifier.verifyPrepared(prepared, pss, { algorithm: 'rsa-pss-sha512' })).toMatchObject({ ok: true, algorithm: 'rsa-pss-sha512' });
    // Without the key metadata an RSA key means rsa-v1_5-sha256, which this signature is not.
    expect(verifier.verifyPrepared(prepared, pss)).toMatchObject({ ok: false, reason: 'bad_signature' });
    // A key pinned to another algorithm is refused outright (no downgrade).
    expect(verifier.verifyPrepared(prepared, pss, { algorithm: 'ed25519' })).toMatchObject({ ok: false, reason: 'unsupported_algorithm' });
  });
});

describe('RFC 9421 §4.3 multiple signatures', () => {
  const { clientRequest, proxiedRequest, proxySignatureBase, proxySignatureValue } = vectors.multipleSignatures;
  const at = (seconds: number): HttpSignatureVerifier =>
    new HttpSignatureVerifier({ resolveKey: (keyId) => (publicKeys[keyId] ? { key: publicKeys[keyId] } : null), now: () => seconds * 1000 });

  it("the client's ecdsa-p256-sha256 signature verifies on the original request", async () => {
    expect(await at(1618884475).verify(clientRequest)).toMatchObject({ ok: true, label: 'sig1', algorithm: 'ecdsa-p256-sha256' });
  });

  it('the proxy signature base and rsa-v1_5-sha256 value are reproduced exactly', () => {
    expect(prepareLabel(proxiedRequest, 'proxy_sig').base.toString()).toBe(proxySignatureBase);
    expect(signBase('rsa-v1_5-sha256', privateKey('test-key-rsa'), Buffer.from(proxySignatureBase)).toString('base64')).toBe(proxySignatureValue);
  });

  it('verifies by label: proxy_sig holds after the proxy changed the authority, sig1 does not', async () => {
    const verifierAtProxy = at(1618884480);
    expect(await verifierAtProxy.verify(proxiedRequest, { label: 'proxy_sig' })).toMatchObject({
      ok: true,
      label: 'proxy_sig',
      keyId: 'test-key-rsa',
      algorithm: 'rsa-v1_5-sha256',
    });
    expect(await verifierAtProxy.verify(proxiedRequest, { label: 'sig1' })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await verifierAtProxy.verify(proxiedRequest, { label: 'nope' })).toMatchObject({ ok: false, reason: 'missing_signature' });
  });

  it('rejects proxy_sig once its expires has passed', async () => {
    expect(await at(1618884540 + 61).verify(proxiedRequest, { label: 'proxy_sig' })).toMatchObject({ ok: false, reason: 'date_out_of_range' });
  });
});
