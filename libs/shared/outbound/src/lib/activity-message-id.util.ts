import { createHash } from 'node:crypto';

// A fixed namespace (RFC 9562 name-based UUIDs): the same activity id always yields the same
// envelope id, so a producer that publishes an activity twice is deduplicated by the consumer.
const NAMESPACE = Buffer.from('6f1c3c2e9a7b4d0e8f52a1d3c4b5e6f7', 'hex');

/** The envelope id (UUID v5) of the publication of `activityId`. */
export function activityMessageId(activityId: string): string {
  return stableUuid(activityId);
}

/** A UUID v5 of any name: the same name always gives the same id (deterministic idempotency keys). */
export function stableUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
