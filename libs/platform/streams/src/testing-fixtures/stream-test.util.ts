// Test support for the transport's integration specs (not exported from the lib).
import { type MessageHandler } from '@nestjs/microservices';
import { defineStream, type StreamContract } from '@peerfed/shared/contracts';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { Registry } from 'prom-client';
import { type RedisConnection } from '../lib/lua-script.util';
import { type RedisStreamsConnectionOptions } from '../lib/redis-connection.util';
import { type RedisStreamsContext } from '../lib/redis-streams-context.types';
import { type RedisStreamsServerOptions } from '../lib/redis-streams-options.types';
import { RedisStreamsServer } from '../lib/redis-streams.server';

export { deferred } from '@peerfed/shared/util';

export class TestEvent {
  @IsInt()
  @Min(0)
  seq!: number;

  @IsOptional()
  @IsString()
  note?: string;
}

let streamCounter = 0;

/** A contract on a stream name no other test uses. */
export function uniqueContract(prefix = 'test'): StreamContract<TestEvent> {
  streamCounter++;
  const stream = `${prefix}.s${streamCounter}-${process.pid}.v1`;
  return defineStream({ stream, type: 'test.event', schemaVersion: 1, payload: TestEvent });
}

/** What an int suite runs against: one Redis node or a cluster. */
export interface StreamsTarget {
  kind: 'single' | 'cluster';
  connection: RedisStreamsConnectionOptions;
  /** A client for assertions and raw writes. */
  admin: RedisConnection;
  /** FLUSHALL on every master. */
  flushAll(): Promise<void>;
}

/** Fast timings for tests: short idle timeout, frequent janitor, short backoff. */
export const FAST: Partial<RedisStreamsServerOptions> = {
  blockMs: 200,
  claimIdleMs: 400,
  janitorIntervalMs: 150,
  errorBackoffMs: 20,
  maxErrorBackoffMs: 300,
  drainTimeoutMs: 5000,
  retryDelayMs: 20,
  maxRetryDelayMs: 300,
};

export type TestHandler = (data: TestEvent, ctx: RedisStreamsContext) => Promise<unknown> | unknown;

/** A started server with one handler per contract, without a Nest application around it. */
export async function startServer(
  target: StreamsTarget,
  handlers: Array<{ contract: StreamContract<TestEvent>; handle: TestHandler; request?: boolean; group?: string }>,
  options: Partial<RedisStreamsServerOptions> = {},
): Promise<RedisStreamsServer> {
  const server = new RedisStreamsServer({ ...target.connection, group: 'workers', registry: new Registry(), ...FAST, ...options });
  for (const { contract, handle, request, group } of handlers) {
    const callback = (async (data: TestEvent, ctx: RedisStreamsContext) => handle(data, ctx)) as MessageHandler;
    server.addHandler(contract.stream, callback, !request, { contract, ...(group && { group }) });
  }
  await new Promise<void>((resolve, reject) => {
    void server.listen((error?: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()));
  });
  return server;
}

/** Pending count and lag of a group, summed over the lanes. */
export async function groupState(admin: RedisConnection, keys: readonly string[], group: string): Promise<{ pending: number; entriesRead: number }> {
  let pending = 0;
  let entriesRead = 0;
  for (const key of keys) {
    const groups = (await admin.xinfo('GROUPS', key)) as unknown[][];
    for (const flat of groups) {
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1]);
      if (info.get('name') !== group) continue;
      pending += Number(info.get('pending'));
      entriesRead += Number(info.get('entries-read') ?? 0);
    }
  }
  return { pending, entriesRead };
}

/** Adds raw fields to a lane, bypassing the client (for invalid messages). */
export async function rawAdd(admin: RedisConnection, key: string, fields: Record<string, string>): Promise<string> {
  const id = await admin.xadd(key, '*', ...Object.entries(fields).flat());
  if (typeof id !== 'string') throw new Error('XADD returned no id');
  return id;
}

