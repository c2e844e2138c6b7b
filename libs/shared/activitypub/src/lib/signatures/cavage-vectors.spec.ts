import vectors from '../../fixtures/http-signatures/draft-cavage-12-appendix-c.json';
import { cavageSigningString, formatCavageSignatureHeader, parseCavageSignatureHeader } from './cavage-signature.util';
import { HttpSignatureVerifier } from './http-signature-verifier.service';
import { parsePrivateKeyPem, parsePublicKeyPem } from './keys.util';
import { requestTarget, type RequestTarget } from './request-target.util';
import { signBase } from './signature-algorithm.util';

// draft-cavage-http-signatures-12 Appendix C: the expected strings are the draft's, verbatim.
const privateKey = parsePrivateKeyPem(vectors.keys.Test.privateKeyPem);
const publicKey = parsePublicKeyPem(vectors.keys.Test.publicKeyPem);
const request = vectors.request;
const target = requestTarget(request) as RequestTarget;
const signedAt = Date.parse(request.headers.date);
const cases = Object.entries(vectors.cases);

function headerList(headers: string | null): string[] {
  return headers === null ? ['date'] : headers.split(' ');
}

describe('draft-cavage-12 Appendix C test vectors', () => {
  it.each(cases)('%s builds the signing string of the draft', (_name, testCase) => {
    const base = cavageSigningString(request, target, { headers: headerList(testCase.headers), algorithm: 'rsa-sha256' });
    expect(base).toEqual({ ok: true, value: testCase.signingString });
  });

  it.each(cases)('%s signs to the exact signature of the draft', (_name, testCase) => {
    const signature = signBase('rsa-v1_5-sha256', privateKey, Buffer.from(testCase.signingString));
    expect(signature.toString('base64')).toBe(testCase.signature);
  });

  it.each(cases)('%s parses the Signature header of the draft (default headers = date)', (_name, testCase) => {
    const parsed = parseCavageSignatureHeader(testCase.signatureHeader);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.value.keyId).toBe('Test');
    expect(parsed.value.algorithm).toBe('rsa-sha256');
    expect(parsed.value.headers).toEqual(headerList(testCase.headers));
    expect(parsed.value.signature.toString('base64')).toBe(testCase.signature);
  });

  it.each(cases)('%s re-serialises to the header of the draft', (_name, testCase) => {
    const parsed = parseCavageSignatureHeader(testCase.signatureHeader);
    if (!parsed.ok) throw new Error(parsed.message);
    // C.1 omits `headers`; our formatter always writes it, so compare the parameters instead.
    const reparsed = parseCavageSignatureHeader(formatCavageSignatureHeader(parsed.value));
    expect(reparsed).toEqual(parsed);
  });

  describe('through the verifier', () => {
    const verifier = new HttpSignatureVerifier({
      resolveKey: (keyId) => (keyId === 'Test' ? { key: publicKey } : null),
      now: () => signedAt,
    });

    it('C.3 (all headers, with Digest) verifies under the default policy, as Signature and as Authorization', async () => {
      const header = vectors.cases['C.3'].signatureHeader;
      const asSignature = await verifier.verify({ ...request, headers: { ...request.headers, signature: header } });
      const asAuthorization = await verifier.verify({ ...request, headers: { ...request.headers, authorization: `Signature ${header}` } });
      for (const result of [asSignature, asAuthorization]) {
        expect(result).toEqual({
          ok: true,
          scheme: 'cavage',
          keyId: 'Test',
          algorithm: 'rsa-v1_5-sha256',
          covered: ['(request-target)', 'host', 'date', 'content-type', 'digest', 'content-length'],
        });
      }
    });

    it('C.2 verifies when the digest requirement is relaxed; by default a POST must cover its digest', async () => {
      const lenient = new HttpSignatureVerifier({ resolveKey: () => ({ key: publicKey }), now: () => signedAt, requireDigest: false });
      const c2 = { ...request, headers: { ...request.headers, signature: vectors.cases['C.2'].signatureHeader } };
      expect(await lenient.verify(c2)).toMatchObject({ ok: true, covered: ['(request-target)', 'host', 'date'] });
      expect(await verifier.verify(c2)).toMatchObject({ ok: false, reason: 'missing_required_header' });
    });

    it('C.1 (date only) verifies cryptographically, but no policy accepts a signature without the request target', async () => {
      const c1 = { ...request, headers: { ...request.headers, authorization: `Signature ${vectors.cases['C.1'].signatureHeader}` } };
      expect(await verifier.verify(c1)).toMatchObject({ ok: false, reason: 'missing_required_header' });
      const parsed = parseCavageSignatureHeader(vectors.cases['C.1'].signatureHeader);
      if (!parsed.ok) throw new Error(parsed.message);
      const prepared = {
        scheme: 'cavage' as const,
        keyId: parsed.value.keyId,
        declaredAlgorithm: 'rsa-sha256',
        covered: parsed.value.headers,
        base: Buffer.from(vectors.cases['C.1'].signingString),
        signature: parsed.value.signature,
      };
      expect(verifier.verifyPrepared(prepared, publicKey)).toMatchObject({ ok: true, algorithm: 'rsa-v1_5-sha256' });
      expect(verifier.verifyPrepared({ ...prepared, base: Buffer.from('date: Sun, 05 Jan 2014 21:31:41 GMT') }, publicKey)).toMatchObject({
        ok: false,
        reason: 'bad_signature',
      });
    });
  });
});
