/** A class whose instances are a stream's payload; class-validator decorators describe it. */
export type PayloadClass<P extends object = object> = new () => P;

/**
 * A versioned stream contract: the stream's name, the message type and schema version its
 * producers write, and the payload class its consumers validate against.
 */
export interface StreamContract<P extends object = object> {
  /** Logical stream name, `<service>.<topic>.v<major>`; becomes the hash tag of every key. */
  readonly stream: string;
  /** Message type carried in each envelope (`type`). */
  readonly type: string;
  /** Highest schema version this contract understands; producers write this one. */
  readonly schemaVersion: number;
  readonly payload: PayloadClass<P>;
}

/** The payload type of a contract. */
export type PayloadOf<C> = C extends StreamContract<infer P> ? P : never;

// Lower-case dotted words ending with the major version. No braces: the name becomes a Redis
// Cluster hash tag, and a brace inside it would change which part of the key is hashed.
const STREAM_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*\.v[1-9][0-9]*$/;
const MESSAGE_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** Checks and freezes a contract, so a typo in a name fails at import time, not in production. */
export function defineStream<P extends object>(contract: StreamContract<P>): StreamContract<P> {
  if (!STREAM_NAME.test(contract.stream)) {
    throw new Error(`defineStream: stream name "${contract.stream}" must look like "service.topic.v1"`);
  }
  if (!MESSAGE_TYPE.test(contract.type)) {
    throw new Error(`defineStream: message type "${contract.type}" of ${contract.stream} must look like "noun.verb"`);
  }
  if (!Number.isInteger(contract.schemaVersion) || contract.schemaVersion < 1) {
    throw new Error(`defineStream: schemaVersion of ${contract.stream} must be an integer >= 1`);
  }
  if (typeof contract.payload !== 'function') {
    throw new Error(`defineStream: payload of ${contract.stream} must be a class`);
  }
  return Object.freeze({ ...contract });
}
