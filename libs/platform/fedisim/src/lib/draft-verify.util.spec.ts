import { generateKeyPairSync, sign } from 'node:crypto';
import { verifyDraftSignature } from './draft-verify.util';
import { publicKeyOf } from './public-key-cache.util';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const signingString = '(request-target): post /users/user0/inbox\nhost: 127.0.0.1:4000\ndate: Sun, 22 Nov 2026 10:00:00 GMT';

function parsed(algorithm: string, privateKeyPem: string, hash = 'sha256', text = signingString) {
  return { algorithm, signingString: text, params: { signature: sign(hash, Buffer.from(signingString), privateKeyPem).toString('base64') } };
}

describe('verifyDraftSignature', () => {
  it('verifies rsa-sha256 and rsa-sha512 with the matching key', () => {
    expect(verifyDraftSignature(parsed('RSA-SHA256', rsa.privateKey), publicKeyOf(rsa.publicKey))).toBe(true);
    expect(verifyDraftSignature(parsed('RSA-SHA512', rsa.privateKey, 'sha512'), publicKeyOf(rsa.publicKey))).toBe(true);
    expect(verifyDraftSignature(parsed('ECDSA-SHA256', ec.privateKey), publicKeyOf(ec.publicKey))).toBe(true);
  });

  it('refuses a changed signing string, another key, a hash mismatch, HMAC and a key of the wrong type', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).publicKey;
    expect(verifyDraftSignature(parsed('RSA-SHA256', rsa.privateKey, 'sha256', `${signingString}x`), publicKeyOf(rsa.publicKey))).toBe(false);
    expect(verifyDraftSignature(parsed('RSA-SHA256', rsa.privateKey), publicKeyOf(other))).toBe(false);
    expect(verifyDraftSignature(parsed('RSA-SHA512', rsa.privateKey), publicKeyOf(rsa.publicKey))).toBe(false);
    expect(verifyDraftSignature(parsed('HMAC-SHA256', rsa.privateKey), publicKeyOf(rsa.publicKey))).toBe(false);
    expect(verifyDraftSignature(parsed('ECDSA-SHA256', rsa.privateKey), publicKeyOf(rsa.publicKey))).toBe(false);
    expect(verifyDraftSignature(parsed('RSA-MD5', rsa.privateKey), publicKeyOf(rsa.publicKey))).toBe(false);
  });

  it('parses each PEM once and gives a new PEM its own key', () => {
    expect(publicKeyOf(rsa.publicKey)).toBe(publicKeyOf(rsa.publicKey));
    expect(publicKeyOf(ec.publicKey)).not.toBe(publicKeyOf(rsa.publicKey));
    expect(() => publicKeyOf('not a key')).toThrow();
  });
});
