import { verify, type KeyObject } from 'node:crypto';
import { type HttpSignatureParsed } from './http-signature.util';

// The last step of a draft-cavage check. http-signature parses the request and builds the signing
// string; its verifySignature would re-parse the PEM on every call, so the primitive is applied
// here to a cached KeyObject, with the library's own rules: an `<keytype>-<hash>` algorithm, no
// HMAC, and the key type must match the algorithm's.

const KEY_TYPES: Readonly<Record<string, readonly string[]>> = {
  rsa: ['rsa', 'rsa-pss'],
  ecdsa: ['ec'],
  dsa: ['dsa'],
  ed25519: ['ed25519'],
};

const HASHES = new Set(['sha1', 'sha256', 'sha512']);

export interface DraftSignatureToVerify {
  readonly algorithm: HttpSignatureParsed['algorithm'];
  readonly signingString: HttpSignatureParsed['signingString'];
  readonly params: Pick<HttpSignatureParsed['params'], 'signature'>;
}

/** false when the signature does not verify or the algorithm does not fit the key. */
export function verifyDraftSignature(parsed: DraftSignatureToVerify, key: KeyObject): boolean {
  const [keyType = '', hash = '', ...rest] = parsed.algorithm.toLowerCase().split('-');
  if (rest.length > 0 || !HASHES.has(hash)) return false;
  const types = KEY_TYPES[keyType];
  if (types === undefined || key.asymmetricKeyType === undefined || !types.includes(key.asymmetricKeyType)) return false;
  const signature = Buffer.from(parsed.params.signature, 'base64');
  return verify(keyType === 'ed25519' ? null : hash, Buffer.from(parsed.signingString), key, signature);
}
