import { createPublicKey, type KeyObject } from 'node:crypto';

// Parsing a PEM costs several times the RSA verify itself, and a simulator sees the same few keys
// on every request: each distinct PEM is parsed once. Keyed by the PEM text, so a rotated key (a
// new PEM for the same keyId) gets its own entry and a refetch is never answered with the old one.

const MAX_KEYS = 10_000;
const keys = new Map<string, KeyObject>();

/** The public KeyObject of a PEM (SPKI or PKCS#1), parsed once; throws for an unusable PEM. */
export function publicKeyOf(publicKeyPem: string): KeyObject {
  let key = keys.get(publicKeyPem);
  if (key === undefined) {
    key = createPublicKey(publicKeyPem);
    // Oldest first out: a long test run that generates many keys stays bounded.
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
    keys.set(publicKeyPem, key);
  }
  return key;
}
