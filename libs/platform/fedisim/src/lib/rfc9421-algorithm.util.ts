import { constants, createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';
import { publicKeyOf } from './public-key-cache.util';

// RFC 9421 section 3.3 algorithms. The signature base itself comes from the independent library;
// only the primitive (node:crypto) is applied here, for both signing and verifying.

interface AlgorithmSpec {
  readonly hash: 'sha256' | 'sha512' | null;
  readonly keyType: string;
  readonly options: { padding?: number; saltLength?: number; dsaEncoding?: 'ieee-p1363' };
}

const ALGORITHMS: Readonly<Record<string, AlgorithmSpec>> = {
  'rsa-v1_5-sha256': { hash: 'sha256', keyType: 'rsa', options: { padding: constants.RSA_PKCS1_PADDING } },
  'rsa-pss-sha512': { hash: 'sha512', keyType: 'rsa', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 } },
  'ecdsa-p256-sha256': { hash: 'sha256', keyType: 'ec', options: { dsaEncoding: 'ieee-p1363' } },
  ed25519: { hash: null, keyType: 'ed25519', options: {} },
};

/** The algorithm a sender would name for a key (RSA keys: rsa-v1_5-sha256, as Mastodon does). */
export function defaultRfc9421Algorithm(key: KeyObject): string {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec') return 'ecdsa-p256-sha256';
  return 'rsa-v1_5-sha256';
}

function spec(algorithm: string, key: KeyObject): AlgorithmSpec {
  const found = ALGORITHMS[algorithm];
  if (!found) throw new Error(`unsupported RFC 9421 algorithm "${algorithm}"`);
  if (key.asymmetricKeyType !== found.keyType && !(found.keyType === 'rsa' && key.asymmetricKeyType === 'rsa-pss')) {
    throw new Error(`algorithm "${algorithm}" does not fit a ${String(key.asymmetricKeyType)} key`);
  }
  return found;
}

export function signRfc9421Base(base: string, privateKeyPem: string, algorithm?: string): { signature: string; algorithm: string } {
  const key = createPrivateKey(privateKeyPem);
  const name = algorithm ?? defaultRfc9421Algorithm(key);
  const { hash, options } = spec(name, key);
  return { signature: sign(hash, Buffer.from(base), { key, ...options }).toString('base64'), algorithm: name };
}

/** Throws for an unknown algorithm or a key of the wrong type; false for a bad signature. */
export function verifyRfc9421Base(base: string, signatureBase64: string, publicKeyPem: string, algorithm?: string): boolean {
  const key = publicKeyOf(publicKeyPem);
  const { hash, options } = spec(algorithm ?? defaultRfc9421Algorithm(key), key);
  return verify(hash, Buffer.from(base), { key, ...options }, Buffer.from(signatureBase64, 'base64'));
}
