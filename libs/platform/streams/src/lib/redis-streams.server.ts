import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { type StreamContract } from '@peerfed/shared/contracts';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import { BatchQueue } from './batch-queue.util';
import { ConcurrencyLimiter } from './concurrency-limiter.util';
import { ConsumerLoop, type LoopHealth } from './consumer-loop.service';
import { errorText } from './error-text.util';
import { type RedisConnection } from './lua-script.util';
import { MessageDispatcher } from './message-dispatcher.service';
import { PriorityShares } from './priority-shares.util';
import { closeRedis, connectRedis, createRedisConnection, withBlockTime } from './redis-connection.util';
import { type RedisStreamsContext } from './redis-streams-context.types';
import { type RedisStreamsHandlerExtras, type RedisStreamsServerOptions } from './redis-streams-options.types';
import { type RedisStreamsEvents, type RedisStreamsStatus, REDIS_STREAMS_TRANSPORT } from './redis-streams-status.types';
import { type StreamBinding } from './stream-binding.types';
import { StreamCommands } from './stream-commands.repository';
import { StreamJanitor } from './stream-janitor.service';
import { assertGroupName, assertStreamName, deadLetterKey, laneKeys } from './stream-keys.util';
import { StreamMetrics } from './stream-metrics.service';
import { systemClock } from './streams-clock.util';

export interface RedisStreamsHealth {
  /** Redis reachable and every read loop running without a current error. */
  up: boolean;
  loops: LoopHealth[];
}

type Settings = Required<
  Pick<
    RedisStreamsServerOptions,
    | 'consumer'
    | 'maxBatchSize'
    | 'concurrency'
    | 'blockMs'
    | 'claimIdleMs'
    | 'janitorIntervalMs'
    | 'maxDeliveries'
    | 'drainTimeoutMs'
    | 'errorBackoffMs'
    | 'maxErrorBackoffMs'
    | 'consumerIdleDeleteMs'
    | 'replyTtlMs'
  >
>;

/**
 * The Redis Streams transport strategy: binds @EventPattern / @MessagePattern handlers, whose
 * pattern is a stream name, to consumer groups. See the README for guarantees and options.
 *
 * `NestFactory.createMicroservice(AppModule, { strategy: new RedisStreamsServer({ url, group }) })`
 */
export class RedisStreamsServer extends Server<RedisStreamsEvents, RedisStreamsStatus> implements CustomTransportStrategy {
  override transportId = REDIS_STREAMS_TRANSPORT;
  protected override readonly logger = new Logger(RedisStreamsServer.name);
  // Handler failures are this transport's business (retry, dead letter); Nest need not log them twice.
  override readonly propagatesEventHandlerErrors = true;

  private readonly settings: Settings;
  private readonly clock;
  private readonly metrics: StreamMetrics;
  private command: RedisConnection | undefined;
  private readonly readers: RedisConnection[] = [];
  private loops: ConsumerLoop[] = [];
  private janitor: StreamJanitor | undefined;
  private limiter: ConcurrencyLimiter | undefined;
  private acks: BatchQueue | undefined;
  private isManuallyClosed = false;
  private wasInitialConnectionSuccessful = false;
  private pendingEventListeners: Array<{ event: keyof RedisStreamsEvents; callback: RedisStreamsEvents[keyof RedisStreamsEvents] }> = [];
  private closing: Promise<void> | undefined;
  private readonly handlerCache = new Map<string, MessageHandler>();
  private readonly defaultStartHook = this.onProcessingStartHook;

  constructor(private readonly options: RedisStreamsServerOptions) {
    super();
    assertGroupName(options.group);
    const maxBatchSize = positiveInt(options.maxBatchSize ?? 10, 'maxBatchSize');
    this.settings = {
      consumer: options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      maxBatchSize,
      concurrency: positiveInt(options.concurrency ?? 2 * maxBatchSize, 'concurrency'),
      blockMs: positiveInt(options.blockMs ?? 1000, 'blockMs'),
      claimIdleMs: positiveInt(options.claimIdleMs ?? 60_000, 'claimIdleMs'),
      janitorIntervalMs: positiveInt(options.janitorIntervalMs ?? 10_000, 'janitorIntervalMs'),
      maxDeliveries: positiveInt(options.maxDeliveries ?? 5, 'maxDeliveries'),
      drainTimeoutMs: positiveInt(options.drainTimeoutMs ?? 10_000, 'drainTimeoutMs'),
      errorBackoffMs: positiveInt(options.errorBackoffMs ?? 100, 'errorBackoffMs'),
      maxErrorBackoffMs: positiveInt(options.maxErrorBackoffMs ?? 5000, 'maxErrorBackoffMs'),
      consumerIdleDeleteMs: positiveInt(options.consumerIdleDeleteMs ?? 3_600_000, 'consumerIdleDeleteMs'),
      replyTtlMs: positiveInt(options.replyTtlMs ?? 300_000, 'replyTtlMs'),
    };
    assertGroupName(this.settings.consumer, 'consumer name');
    this.clock = options.clock ?? systemClock;
    this.metrics = StreamMetrics.for(options.registry);
  }

  /** This process's consumer name in every group. */
  get consumerName(): string {
    return this.settings.consumer;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.isManuallyClosed = false;
      const bindings = this.resolveBindings();
      this.command = this.connection('command', false);
      await connectRedis(this.command);
      const commands = new StreamCommands(this.command);
      for (const binding of bindings) await this.ensureGroups(binding);

      const limiter = new ConcurrencyLimiter(this.settings.concurrency);
      const acks = new BatchQueue((queueKey, ids) => {
        const [group, key] = queueKey.split('\n');
        return commands.ack(key, group, ids);
      }, Math.max(this.settings.maxBatchSize, 100));
      const dispatcher = new MessageDispatcher(
        { consumer: this.settings.consumer, maxDeliveries: this.settings.maxDeliveries, replyTtlMs: this.settings.replyTtlMs },
        { commands, acks, limiter, metrics: this.metrics, clock: this.clock, logger: this.logger, invoke: (binding, data, ctx) => this.invoke(binding, data, ctx) },
      );
      this.limiter = limiter;
      this.acks = acks;

      for (const binding of bindings) {
        const reader = this.connection(`reader:${binding.stream}`, true);
        this.readers.push(reader);
        await connectRedis(reader);
        const loop = new ConsumerLoop(binding, this.settings, {
          reader: new StreamCommands(reader),
          limiter,
          dispatcher,
          // Per stream: the weighted rotation must not be shared with another stream's cycles.
          shares: new PriorityShares(this.options.priorityWeights),
          ensureGroups: (b) => this.ensureGroups(b),
          clock: this.clock,
          logger: this.logger,
        });
        // Registered after the first connect, so every 'ready' here is a reconnect.
        reader.on('ready', () => loop.markReconnected());
        this.loops.push(loop);
      }
      this.janitor = new StreamJanitor(
        bindings,
        {
          consumer: this.settings.consumer,
          claimIdleMs: this.settings.claimIdleMs,
          intervalMs: this.settings.janitorIntervalMs,
          maxBatchSize: this.settings.maxBatchSize,
          consumerIdleDeleteMs: this.settings.consumerIdleDeleteMs,
        },
        { commands, limiter, dispatcher, metrics: this.metrics, ensureGroups: (b) => this.ensureGroups(b), clock: this.clock, logger: this.logger },
      );
      for (const loop of this.loops) loop.start();
      this.janitor.start();
      callback();
    } catch (error) {
      await this.shutdownConnections();
      callback(error);
    }
  }

  /**
   * Stops reading, waits (at most drainTimeoutMs) for handlers in flight to finish and be
   * acknowledged, then disconnects. Entries it could not finish stay pending for other consumers.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown().finally(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  /** Readiness data: see RedisStreamsHealth. */
  health(): RedisStreamsHealth {
    const loops = this.loops.map((loop) => loop.health());
    const up = this.command?.status === 'ready' && !this.isManuallyClosed && loops.every((loop) => loop.running && loop.lastError === undefined);
    return { up, loops };
  }

  /** The command connection (ioredis Redis or Cluster); read loops use their own. */
  unwrap<T>(): T {
    if (!this.command) throw new Error('Not initialized. Please call the "listen"/"startAllMicroservices" method before accessing the server.');
    return this.command as T;
  }

  on<K extends keyof RedisStreamsEvents = keyof RedisStreamsEvents, C extends RedisStreamsEvents[K] = RedisStreamsEvents[K]>(event: K, callback: C): void {
    const connections = [this.command, ...this.readers].filter((c): c is RedisConnection => c !== undefined);
    if (connections.length === 0) {
      this.pendingEventListeners.push({ event, callback });
      return;
    }
    this.command?.on(event, (...args: unknown[]) => (callback as (...a: unknown[]) => void)('command', ...args));
    for (const reader of this.readers) reader.on(event, (...args: unknown[]) => (callback as (...a: unknown[]) => void)('reader', ...args));
  }

  private connection(name: string, blocking: boolean): RedisConnection {
    const connection = createRedisConnection(
      withBlockTime(this.options, blocking ? this.settings.blockMs : 0),
      {
        name: `peerfed:${this.settings.consumer}:${name}`,
        blocking,
        isClosed: () => this.isManuallyClosed,
        onGiveUp: (attempts) => this.logger.error(`Redis ${name}: giving up after ${attempts} reconnection attempts`),
      },
    );
    const role = blocking ? 'reader' : 'command';
    connection.on('error', (error: unknown) => {
      if (!this.isManuallyClosed) this.logger.error(`Redis ${name}: ${errorText(error)}`);
    });
    if (!blocking) {
      connection.on('ready', () => {
        this._status$.next('connected');
        if (this.wasInitialConnectionSuccessful) this.logger.log('Reconnected to Redis');
        this.wasInitialConnectionSuccessful = true;
      });
      connection.on('reconnecting', () => {
        if (!this.isManuallyClosed) this._status$.next('reconnecting');
      });
      connection.on('end', () => {
        if (this.isManuallyClosed) return;
        this._status$.next('disconnected');
        this.logger.error('Disconnected from Redis; no further reconnection attempts will be made');
      });
    }
    for (const { event, callback } of this.pendingEventListeners) {
      connection.on(event, (...args: unknown[]) => (callback as (...a: unknown[]) => void)(role, ...args));
    }
    return connection;
  }

  private resolveBindings(): StreamBinding[] {
    const contracts = new Map<string, StreamContract>();
    for (const contract of this.options.contracts ?? []) contracts.set(contract.stream, contract);
    const bindings: StreamBinding[] = [];
    for (const [pattern, handler] of this.messageHandlers) {
      const extras = (handler.extras ?? {}) as RedisStreamsHandlerExtras;
      assertStreamName(pattern);
      const contract = extras.contract ?? contracts.get(pattern);
      if (!contract) {
        throw new Error(`No contract for stream "${pattern}": pass it in the server's \`contracts\` option or in the handler's extras ({ contract })`);
      }
      if (contract.stream !== pattern) throw new Error(`Handler for "${pattern}" names the contract of "${contract.stream}"`);
      const group = extras.group ?? this.options.group;
      assertGroupName(group);
      bindings.push({ stream: pattern, group, contract, isRequest: !handler.isEventHandler, keys: laneKeys(pattern), deadKey: deadLetterKey(pattern) });
    }
    return bindings;
  }

  private async ensureGroups(binding: StreamBinding): Promise<void> {
    if (!this.command) throw new Error('Redis streams server is not connected');
    await new StreamCommands(this.command).ensureGroup(binding.keys, binding.group);
  }

  /** Runs the stream's handler with Nest's processing hooks and settles with its final value. */
  private invoke(binding: StreamBinding, data: unknown, context: RedisStreamsContext): Promise<unknown> {
    // Looked up once per stream: getHandlerByPattern() parses the pattern as JSON on every call.
    let handler = this.handlerCache.get(binding.stream);
    if (!handler) {
      handler = this.getHandlerByPattern(binding.stream) ?? undefined;
      if (!handler) return Promise.reject(new Error(`No handler for stream ${binding.stream}`));
      this.handlerCache.set(binding.stream, handler);
    }
    const call = handler;
    // Without instrumentation hooks, skip the hook plumbing (a promise and two closures per message).
    if (this.onProcessingStartHook === this.defaultStartHook && this.onProcessingEndHook === undefined) {
      return settle(call(data, context));
    }
    return new Promise<unknown>((resolve, reject) => {
      const run = async (): Promise<void> => {
        const endHook = this.createProcessingEndHookRunner(context);
        try {
          resolve(await settle(await call(data, context)));
        } catch (error) {
          reject(error);
        } finally {
          endHook();
        }
      };
      Promise.resolve(this.onProcessingStartHook(this.transportId, context, run)).catch(reject);
    });
  }

  private async shutdown(): Promise<void> {
    this.isManuallyClosed = true;
    const deadline = this.clock.now() + this.settings.drainTimeoutMs;
    const stopping: Array<Promise<void>> = [this.janitor?.stop() ?? Promise.resolve(), ...this.loops.map((loop) => loop.stop())];
    const drained = (async () => {
      await Promise.all(stopping);
      await this.limiter?.whenIdle();
      await this.acks?.flush();
    })();
    const timedOut = await withTimeout(drained, Math.max(0, deadline - this.clock.now()));
    if (timedOut) {
      this.logger.warn?.(
        `close(): ${this.limiter?.inFlight ?? 0} handlers still running after ${this.settings.drainTimeoutMs} ms; their messages stay pending for other consumers`,
      );
    }
    await this.shutdownConnections();
    this.loops = [];
    this.janitor = undefined;
    this.pendingEventListeners = [];
  }

  private async shutdownConnections(): Promise<void> {
    this.isManuallyClosed = true;
    await Promise.all([closeRedis(this.command), ...this.readers.map((reader) => closeRedis(reader))]);
    this.readers.length = 0;
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`Redis streams option ${name} must be an integer >= 1, got ${value}`);
  return value;
}

/** A handler result: a value, a promise, or an observable whose last value counts. */
async function settle(result: unknown): Promise<unknown> {
  const value = await result;
  return isObservable(value) ? lastValueFrom(value as Observable<unknown>, { defaultValue: undefined }) : value;
}

/** true when `promise` did not settle within `ms`. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  try {
    return await Promise.race([promise.then(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
