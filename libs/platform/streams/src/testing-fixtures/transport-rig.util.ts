// What the transport's integration suites share: one target (a Redis node or a cluster) per suite,
// and the clients and servers a test opens, closed after each test.
import { lastValueFrom } from 'rxjs';
import { OutboundMessage } from '../lib/outbound-message.dto';
import { RedisStreamsClient } from '../lib/redis-streams.client';
import { type RedisStreamsServer } from '../lib/redis-streams.server';
import { startServer, type StreamsTarget, type uniqueContract } from './stream-test.util';

type Closeable = { close(): Promise<void> | void };

export interface TransportRig {
  /** Set in beforeAll. */
  readonly target: StreamsTarget;
  /** Closes `resource` after the current test. */
  track<T extends Closeable>(resource: T): T;
  client(extra?: Partial<ConstructorParameters<typeof RedisStreamsClient>[0]>): RedisStreamsClient;
  server(...args: Parameters<typeof startServer> extends [unknown, ...infer R] ? R : never): Promise<RedisStreamsServer>;
  /** Emits `total` messages (seq 0..total-1) and returns their envelope ids. */
  publishMany(producer: RedisStreamsClient, contract: ReturnType<typeof uniqueContract>, total: number): Promise<string[]>;
}

/** Registers the suite's hooks (call once inside its describe) and returns the helpers its tests use. */
export function useTransportRig(setup: () => Promise<{ target: StreamsTarget; cleanup(): Promise<void> }>): TransportRig {
  let target: StreamsTarget | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  const open: Closeable[] = [];
  const track = <T extends Closeable>(resource: T): T => {
    open.push(resource);
    return resource;
  };
  const current = (): StreamsTarget => {
    if (!target) throw new Error('the transport target is not started (used outside a test?)');
    return target;
  };

  beforeAll(async () => {
    ({ target, cleanup } = await setup());
  });
  afterEach(async () => {
    const resources = open.splice(0);
    await Promise.all(resources.map((resource) => Promise.resolve(resource.close())));
  });
  afterAll(() => cleanup?.());

  return {
    get target() {
      return current();
    },
    track,
    client: (extra = {}) => track(new RedisStreamsClient({ ...current().connection, retryDelayMs: 20, maxRetryDelayMs: 300, ...extra })),
    server: async (...args) => track(await startServer(current(), ...args)),
    publishMany: async (producer, contract, total) => {
      const messages = Array.from({ length: total }, (_, seq) => new OutboundMessage(contract, { seq }));
      await Promise.all(messages.map((message) => lastValueFrom(producer.emit(contract.stream, message))));
      return messages.map((message) => message.envelope.id);
    },
  };
}
