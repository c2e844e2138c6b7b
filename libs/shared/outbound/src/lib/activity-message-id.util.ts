import { hash } from 'node:crypto';

// A fixed namespace (RFC 9562 name-based UUIDs): the same activity id always yields the same
// envelope id, so a producer that publishes an activity twice is deduplicated by the consumer.
const NAMESPACE = Buffer.from('6f1c3c2e9a7b4d0e8f52a1d3c4b5e6f7', 'hex');

/** The envelope id (UUID v5) of the publication of `activityId`. */
export function activityMessageId(activityId: string): string {
  return stableUuid(activityId);
}

/** A UUID v5 of any name: the same name always gives the same id (deterministic idempotency keys). */
export function stableUuid(name: string): string {
  // One-shot hash (about half the cost of createHash on the inbox's hot path), then the version
  // (5) and variant (10xx) bits set on the hex digits.
  const hex = hash('sha1', Buffer.concat([NAMESPACE, Buffer.from(name, 'utf8')]));
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
