import { createPublicKey, type KeyObject } from 'node:crypto';
import { boundedMemo } from '@peerfed/shared/util';

// Parsing a PEM costs several times the RSA verify itself, and a simulator sees the same few keys
// on every request: each distinct PEM is parsed once. Keyed by the PEM text, so a rotated key (a
// new PEM for the same keyId) gets its own entry and a refetch is never answered with the old one.

/** The public KeyObject of a PEM (SPKI or PKCS#1), parsed once; throws for an unusable PEM. */
export const publicKeyOf: (publicKeyPem: string) => KeyObject = boundedMemo((publicKeyPem: string) => createPublicKey(publicKeyPem));
