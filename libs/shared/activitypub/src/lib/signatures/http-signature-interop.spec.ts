import { createHash, generateKeyPairSync } from 'node:crypto';
import { HttpSignatureVerifier } from './http-signature-verifier.service';
import { signRequest } from './sign-request.util';

// Interop with joyent's `http-signature` (draft-cavage, sshpk based): an independent implementation.
interface ParsedSignature {
  keyId: string;
  algorithm: string;
}
interface HttpSignatureModule {
  signRequest(request: ClientRequestLike, options: { key: string; keyId: string; algorithm?: string; headers?: string[]; authorizationHeaderName?: string }): boolean;
  parseRequest(request: { method: string; url: string; headers: Record<string, string> }, options?: { clockSkew?: number; headers?: string[] }): ParsedSignature;
  verifySignature(parsed: ParsedSignature, publicKeyPem: string): boolean;
}
interface ClientRequestLike {
  method: string;
  path: string;
  getHeader(name: string): string | undefined;
  setHeader(name: string, value: string): void;
}

const httpSignature = jest.requireActual<HttpSignatureModule>('http-signature');

const HOST = 'peerfed.example';
const PATH = '/inbox?source=remote';
const BODY = JSON.stringify({ id: 'https://remote.example/likes/1', type: 'Like' });
// http-signature checks Date against the real clock (300 s), so both sides use real time here.
const verifier = new HttpSignatureVerifier({ resolveKey: (keyId) => (keyId === KEY_ID ? { key: rsa.publicKey } : null) });
const KEY_ID = 'https://remote.example/actor#main-key';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPrivatePem = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** The minimal http.ClientRequest surface http-signature signs. */
function clientRequest(headers: Record<string, string>): ClientRequestLike & { headers: Record<string, string> } {
  const store: Record<string, string> = { ...headers };
  return {
    method: 'POST',
    path: PATH,
    headers: store,
    getHeader: (name) => store[name.toLowerCase()],
    setHeader: (name, value) => {
      store[name.toLowerCase()] = value;
    },
  };
}

function independentDigest(body: string): string {
  return `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
}

describe('interop with http-signature (draft-cavage)', () => {
  it.each([
    ['Signature', 'signature'],
    ['Authorization', 'authorization'],
  ])('we verify what http-signature signs into %s', async (headerName, lowerName) => {
    const request = clientRequest({ host: HOST, date: new Date().toUTCString(), digest: independentDigest(BODY) });
    httpSignature.signRequest(request, {
      key: rsaPrivatePem,
      keyId: KEY_ID,
      algorithm: 'rsa-sha256',
      headers: ['(request-target)', 'host', 'date', 'digest'],
      authorizationHeaderName: headerName,
    });
    expect(request.headers[lowerName]).toBeDefined();
    const result = await verifier.verify({ method: 'POST', url: PATH, headers: request.headers, body: BODY });
    expect(result).toMatchObject({ ok: true, scheme: 'cavage', keyId: KEY_ID, algorithm: 'rsa-v1_5-sha256' });

    const tampered = await verifier.verify({ method: 'POST', url: PATH, headers: { ...request.headers, host: 'other.example' }, body: BODY });
    expect(tampered).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('http-signature verifies what we sign, and our Digest is the independent SHA-256', () => {
    const added = signRequest({
      method: 'POST',
      url: `https://${HOST}${PATH}`,
      headers: { 'Content-Type': 'application/activity+json' },
      body: BODY,
      keyId: KEY_ID,
      privateKey: rsa.privateKey,
      scheme: 'cavage',
    });
    expect(added['digest']).toBe(independentDigest(BODY));
    const incoming = { method: 'POST', url: PATH, headers: { 'content-type': 'application/activity+json', ...added } };
    const parsed = httpSignature.parseRequest(incoming, { headers: ['(request-target)', 'host', 'date', 'digest'] });
    expect(parsed).toMatchObject({ keyId: KEY_ID, algorithm: 'RSA-SHA256' });
    expect(httpSignature.verifySignature(parsed, rsaPublicPem)).toBe(true);

    const forged = httpSignature.parseRequest({ ...incoming, url: '/other' }, { headers: ['(request-target)'] });
    expect(httpSignature.verifySignature(forged, rsaPublicPem)).toBe(false);
  });
});
