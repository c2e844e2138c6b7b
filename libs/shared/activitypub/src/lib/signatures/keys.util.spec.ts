import { createPublicKey, sign, verify } from 'node:crypto';
import { InvalidKeyException } from './invalid-key.exception';
import { KeyObjectCache } from './key-object-cache.util';
import { generateEd25519KeyPair, generateRsaKeyPair, parsePrivateKeyPem, parsePublicKeyPem, publicKeyFingerprint } from './keys.util';

describe('key helpers', () => {
  it('generates RSA-2048 and Ed25519 PEM pairs that sign and verify', async () => {
    const [rsa, ed] = await Promise.all([generateRsaKeyPair(), generateEd25519KeyPair()]);
    expect(rsa.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(rsa.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(parsePublicKeyPem(rsa.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    for (const [pair, hash] of [
      [rsa, 'sha256'],
      [ed, null],
    ] as const) {
      const data = Buffer.from('hello');
      const signature = sign(hash, data, parsePrivateKeyPem(pair.privateKeyPem));
      expect(verify(hash, data, parsePublicKeyPem(pair.publicKeyPem), signature)).toBe(true);
    }
  });

  it('fingerprints the public key, the same from PEM, public and private KeyObject', async () => {
    const pair = await generateEd25519KeyPair();
    const other = await generateEd25519KeyPair();
    const fingerprint = publicKeyFingerprint(pair.publicKeyPem);
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(publicKeyFingerprint(parsePrivateKeyPem(pair.privateKeyPem))).toBe(fingerprint);
    expect(publicKeyFingerprint(createPublicKey(pair.publicKeyPem))).toBe(fingerprint);
    expect(publicKeyFingerprint(other.publicKeyPem)).not.toBe(fingerprint);
  });

  it('refuses unreadable or private PEM where a public key is expected', async () => {
    const pair = await generateEd25519KeyPair();
    expect(() => parsePublicKeyPem('hello')).toThrow(InvalidKeyException);
    expect(() => parsePublicKeyPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toThrow(InvalidKeyException);
    expect(() => parsePublicKeyPem(pair.privateKeyPem)).toThrow(/private key/);
    expect(() => parsePrivateKeyPem(pair.publicKeyPem)).toThrow(InvalidKeyException);
  });
});

describe('KeyObjectCache', () => {
  it('returns the same KeyObject for the same PEM and evicts the least recently used', async () => {
    const pems = await Promise.all([generateEd25519KeyPair(), generateEd25519KeyPair(), generateEd25519KeyPair()]).then((pairs) =>
      pairs.map((pair) => pair.publicKeyPem),
    );
    const [a, b, c] = pems as [string, string, string];
    const cache = new KeyObjectCache(2);
    const first = cache.publicKey(a);
    expect(cache.publicKey(a)).toBe(first);
    const firstB = cache.publicKey(b);
    cache.publicKey(a); // a is now the most recent
    cache.publicKey(c); // evicts b, the least recently used
    expect(cache.size).toBe(2);
    expect(cache.publicKey(a)).toBe(first);
    const bAgain = cache.publicKey(b); // parsed anew: b had been evicted
    expect(bAgain).not.toBe(firstB);
    expect(cache.size).toBe(2);
    expect(cache.publicKey(b)).toBe(bAgain);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('does not cache failures and rejects a nonsensical size', () => {
    const cache = new KeyObjectCache();
    expect(() => cache.publicKey('garbage')).toThrow(InvalidKeyException);
    expect(cache.size).toBe(0);
    expect(() => new KeyObjectCache(0)).toThrow(RangeError);
  });
});
