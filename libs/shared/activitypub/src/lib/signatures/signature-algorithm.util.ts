import { constants, createHmac, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from './http-signature.types';

const RFC9421_NAMES: ReadonlySet<string> = new Set(SIGNATURE_ALGORITHMS.filter((name) => name !== 'rsa-v1_5-sha512'));

/** An RFC 9421 `alg` value we support (`rsa-v1_5-sha512` is not in the RFC registry). */
export function isRfc9421Algorithm(name: string): name is SignatureAlgorithm {
  return RFC9421_NAMES.has(name);
}

/**
 * draft-cavage `algorithm` values -> our algorithm. `hs2019` (and a missing parameter) mean
 * "derive it from the key": see {@link algorithmForKey}. Misskey sends `ed25519-sha512`.
 */
const CAVAGE_NAMES: Readonly<Record<string, SignatureAlgorithm | 'from-key'>> = {
  hs2019: 'from-key',
  'rsa-sha256': 'rsa-v1_5-sha256',
  'rsa-sha512': 'rsa-v1_5-sha512',
  ed25519: 'ed25519',
  'ed25519-sha512': 'ed25519',
  'hmac-sha256': 'hmac-sha256',
};

/** Whether a draft-cavage `algorithm` parameter is one we can verify (before fetching a key). */
export function isCavageAlgorithm(name: string | undefined): boolean {
  return name === undefined || Object.hasOwn(CAVAGE_NAMES, name);
}

/** The algorithm a draft-cavage signature uses with this key, or `undefined` when they do not fit. */
export function cavageAlgorithm(declared: string | undefined, key: KeyObject): SignatureAlgorithm | undefined {
  const named = declared === undefined ? 'from-key' : CAVAGE_NAMES[declared];
  if (named === undefined) return undefined;
  if (named !== 'from-key') return keySuits(named, key) ? named : undefined;
  const derived = algorithmForKey(key);
  // draft-cavage never pinned an ECDSA signature encoding; refuse rather than guess.
  return derived === 'ecdsa-p256-sha256' || derived === 'ecdsa-p384-sha384' ? undefined : derived;
}

/**
 * The algorithm a key implies: RSA -> RSASSA-PKCS1-v1_5 SHA-256 (what Mastodon means by hs2019,
 * and what Fedify signs with), RSA-PSS key -> rsa-pss-sha512, Ed25519, P-256, P-384, HMAC secret.
 */
export function algorithmForKey(key: KeyObject): SignatureAlgorithm | undefined {
  if (key.type === 'secret') return 'hmac-sha256';
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return 'rsa-v1_5-sha256';
  if (type === 'rsa-pss') return 'rsa-pss-sha512';
  if (type === 'ed25519') return 'ed25519';
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ecdsa-p256-sha256';
    if (curve === 'secp384r1') return 'ecdsa-p384-sha384';
  }
  return undefined;
}

/** Whether the key can be used with the algorithm (an RSA signature checked with an EC key is refused). */
export function keySuits(algorithm: SignatureAlgorithm, key: KeyObject): boolean {
  switch (algorithm) {
    case 'rsa-v1_5-sha256':
    case 'rsa-v1_5-sha512':
      return key.asymmetricKeyType === 'rsa';
    case 'rsa-pss-sha512':
      return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
    case 'ecdsa-p256-sha256':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'ecdsa-p384-sha384':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1';
    case 'ed25519':
      return key.asymmetricKeyType === 'ed25519';
    case 'hmac-sha256':
      return key.type === 'secret';
  }
}

/** Signs the base. The caller has checked {@link keySuits}. */
export function signBase(algorithm: SignatureAlgorithm, key: KeyObject, data: Buffer): Buffer {
  switch (algorithm) {
    case 'hmac-sha256':
      return createHmac('sha256', key).update(data).digest();
    case 'ed25519':
      return sign(null, data, key);
    case 'rsa-pss-sha512':
      return sign('sha512', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 });
    case 'ecdsa-p256-sha256':
      return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'ecdsa-p384-sha384':
      return sign('sha384', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'rsa-v1_5-sha256':
      return sign('sha256', data, key);
    case 'rsa-v1_5-sha512':
      return sign('sha512', data, key);
  }
}

/** Verifies a signature over the base; never throws (a malformed signature is just invalid). */
export function verifyBase(algorithm: SignatureAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    switch (algorithm) {
      case 'hmac-sha256': {
        const expected = createHmac('sha256', key).update(data).digest();
        return expected.length === signature.length && timingSafeEqual(expected, signature);
      }
      case 'ed25519':
        return verify(null, data, key, signature);
      case 'rsa-pss-sha512':
        return verify('sha512', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }, signature);
      case 'ecdsa-p256-sha256':
        return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'ecdsa-p384-sha384':
        return verify('sha384', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'rsa-v1_5-sha256':
        return verify('sha256', data, key, signature);
      case 'rsa-v1_5-sha512':
        return verify('sha512', data, key, signature);
    }
  } catch {
    return false;
  }
}
