import { PRIORITIES, type Priority } from '@peerfed/shared/contracts';

// Every key of one logical stream carries the stream name as its hash tag, so the lanes and the
// dead-letter stream live in one Redis Cluster slot and multi-key scripts over them are legal.
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

/** `{ingress.inbound.v1}:high` */
export function laneKey(stream: string, priority: Priority): string {
  return `{${stream}}:${priority}`;
}

/** The lane keys of a stream, highest priority first (the order of PRIORITIES). */
export function laneKeys(stream: string): string[] {
  return PRIORITIES.map((priority) => laneKey(stream, priority));
}

/** `{ingress.inbound.v1}:dead` */
export function deadLetterKey(stream: string): string {
  return `{${stream}}:dead`;
}

/** The reply stream of one client instance. */
export function replyKey(clientId: string): string {
  return `{rpc.${clientId}}:reply`;
}

/** A server writes replies only to keys of this shape, never to a key a message names freely. */
export function isReplyKey(key: string): boolean {
  return REPLY_KEY.test(key);
}
