// The key layout (lanes, dead letters, the entry field) is part of the wire contract and lives in
// @peerfed/shared/contracts; re-exported here so the transport's modules import keys from one place.
export { ENVELOPE_FIELD, deadLetterKey, laneKey, laneKeys } from '@peerfed/shared/contracts';

const STREAM_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*\.v[1-9][0-9]*$/;
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const REPLY_KEY = /^\{rpc\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}:reply$/;

export function assertStreamName(stream: string): void {
  if (!STREAM_NAME.test(stream)) {
    throw new Error(`Invalid stream name "${stream}": expected lower-case dotted words ending with .v<major>, e.g. ingress.inbound.v1`);
  }
}

export function assertGroupName(group: string, what = 'consumer group'): void {
  if (!GROUP_NAME.test(group)) {
    throw new Error(`Invalid ${what} "${group}": use 1-128 letters, digits, '.', '_', ':' or '-'`);
  }
}

/** The reply stream of one client instance. */
export function replyKey(clientId: string): string {
  return `{rpc.${clientId}}:reply`;
}

/** A server writes replies only to keys of this shape, never to a key a message names freely. */
export function isReplyKey(key: string): boolean {
  return REPLY_KEY.test(key);
}
