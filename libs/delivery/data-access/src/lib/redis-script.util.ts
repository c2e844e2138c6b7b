import { type RedisConnection } from '@peerfed/platform/streams';

type ScriptCall = (...keysAndArgs: Array<string | number>) => Promise<unknown>;

/**
 * A Lua script registered with ioredis' defineCommand, which runs it by SHA and falls back to
 * EVAL after NOSCRIPT (a restarted Redis, another cluster node).
 */
export function defineScript(redis: RedisConnection, name: string, numberOfKeys: number, lua: string): ScriptCall {
  const host = redis as unknown as Record<string, ScriptCall | undefined>;
  if (typeof host[name] !== 'function') redis.defineCommand(name, { numberOfKeys, lua });
  const command = host[name];
  if (typeof command !== 'function') throw new Error(`script ${name} was not defined`);
  return (...keysAndArgs) => command.apply(redis, keysAndArgs);
}
