import { PRIORITIES, type Priority } from './priority.types';

/**
 * The Redis layout of a logical stream is part of the wire contract: every producer (the streams
 * transport, OutboundPublisher, delivery's writers) and every reader must name the same keys.
 *
 * Every key of one stream carries the stream name as its hash tag, so the lanes, the dead-letter
 * stream and any companion key (e.g. delivery's delayed set) live in one Redis Cluster slot and
 * multi-key scripts over them are legal.
 */

/** The one field of a stream entry: the JSON of the MessageEnvelope. */
export const ENVELOPE_FIELD = 'envelope';

/** `{ingress.inbound.v1}:<suffix>`: a key in the stream's cluster slot. */
export function streamSlotKey(stream: string, suffix: string): string {
  return `{${stream}}:${suffix}`;
}

/** `{ingress.inbound.v1}:high` */
export function laneKey(stream: string, priority: Priority): string {
  return streamSlotKey(stream, priority);
}

/** The lane keys of a stream, highest priority first (the order of PRIORITIES). */
export function laneKeys(stream: string): string[] {
  return PRIORITIES.map((priority) => laneKey(stream, priority));
}

/** `{ingress.inbound.v1}:dead` */
export function deadLetterKey(stream: string): string {
  return streamSlotKey(stream, 'dead');
}
