/** The transport's id for `@EventPattern(stream, REDIS_STREAMS_TRANSPORT)` in multi-transport apps. */
export const REDIS_STREAMS_TRANSPORT = Symbol('REDIS_STREAMS');

/** Same values as Nest's own redis transport. */
export type RedisStreamsStatus = 'connected' | 'reconnecting' | 'disconnected';

type ConnectionRole = 'command' | 'reader';

/** ioredis events, re-emitted with the role of the connection that raised them. */
export type RedisStreamsEvents = {
  connect: (connection: ConnectionRole) => void;
  ready: (connection: ConnectionRole) => void;
  error: (connection: ConnectionRole, error: Error) => void;
  close: (connection: ConnectionRole) => void;
  reconnecting: (connection: ConnectionRole) => void;
  end: (connection: ConnectionRole) => void;
  warning: (connection: ConnectionRole, warning: unknown) => void;
};
