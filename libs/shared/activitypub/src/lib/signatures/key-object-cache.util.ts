import { type KeyObject } from 'node:crypto';
import { parsePublicKeyPem } from './keys.util';

/**
 * A small LRU of parsed public keys, keyed by the PEM text itself (so a rotated key is a new
 * entry, never a stale hit). Parsing an RSA PEM costs ~0.26 ms, ten times a verification.
 */
export class KeyObjectCache {
  private readonly entries = new Map<string, KeyObject>();

  constructor(private readonly maxEntries = 1024) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  }

  /** The parsed key for this PEM; parses and remembers it on a miss. Throws InvalidKeyException. */
  publicKey(pem: string): KeyObject {
    const hit = this.entries.get(pem);
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(pem);
      this.entries.set(pem, hit);
      return hit;
    }
    const parsed = parsePublicKeyPem(pem);
    this.entries.set(pem, parsed);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return parsed;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
