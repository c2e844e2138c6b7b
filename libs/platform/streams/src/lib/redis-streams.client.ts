import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import {
  type MessageEnvelope,
  type Priority,
  type StreamContract,
  createEnvelope,
  isPriority,
  validatePayload,
} from '@peerfed/shared/contracts';
import { lastValueFrom } from 'rxjs';
import { backoffDelay } from './backoff.util';
import { errorText } from './error-text.util';
import { type RedisConnection } from './lua-script.util';
import { OutboundMessage, type OutboundMessageOptions } from './outbound-message.dto';
import { PublishFailedException } from './publish-failed.exception';
import { closeRedis, connectRedis, createRedisConnection, withBlockTime } from './redis-connection.util';
import { type RedisStreamsClientOptions } from './redis-streams-options.types';
import { type RedisStreamsEvents, type RedisStreamsStatus } from './redis-streams-status.types';
import { RequestTimeoutException } from './request-timeout.exception';
import { asArray } from './stream-commands.repository';
import { ENVELOPE_FIELD, laneKey, replyKey } from './stream-keys.util';
import { systemClock } from './streams-clock.util';

type Listener = (...args: unknown[]) => void;

/**
 * The producer side: `emit()` XADDs an event and completes once Redis stored it (or errors: never
 * hangs); `send()` XADDs a request and waits for the reply on this client's own reply stream,
 * failing with RequestTimeoutException after requestTimeoutMs. Data is either an OutboundMessage
 * (fixed envelope id, chosen priority) or a plain payload of a contract given in `contracts`.
 */
export class RedisStreamsClient extends ClientProxy<RedisStreamsEvents, RedisStreamsStatus> {
  private readonly logger = new Logger(RedisStreamsClient.name);
  private readonly contracts = new Map<string, StreamContract>();
  private readonly clientId = randomUUID();
  private command: RedisConnection | undefined;
  private replyReader: RedisConnection | undefined;
  private connectionPromise: Promise<void> | undefined;
  private replyLoop: Promise<void> | undefined;
  private isManuallyClosed = false;
  private wasInitialConnectionSuccessful = false;
  private readonly listeners: Array<{ event: keyof RedisStreamsEvents; callback: Listener }> = [];
  private readonly timeouts: { request: number; publish: number; block: number };

  constructor(private readonly options: RedisStreamsClientOptions) {
    super();
    for (const contract of options.contracts ?? []) this.contracts.set(contract.stream, contract);
    if (options.defaultPriority !== undefined && !isPriority(options.defaultPriority)) {
      throw new Error(`Redis streams client: unknown defaultPriority "${String(options.defaultPriority)}"`);
    }
    this.timeouts = {
      request: options.requestTimeoutMs ?? 30_000,
      publish: options.publishTimeoutMs ?? 5_000,
      block: options.blockMs ?? 1_000,
    };
  }

  /** The stream this client's replies arrive on. */
  get replyStream(): string {
    return replyKey(this.clientId);
  }

  connect(): Promise<void> {
    this.connectionPromise ??= this.openCommandConnection().catch((error: unknown) => {
      this.connectionPromise = undefined;
      throw error;
    });
    return this.connectionPromise;
  }

  /** Fails requests in flight ("Connection closed"), stops the reply reader, disconnects. */
  async close(): Promise<void> {
    this.isManuallyClosed = true;
    this.failInFlight(new Error('Connection closed'));
    const command = this.command;
    const reader = this.replyReader;
    this.command = this.replyReader = undefined;
    this.connectionPromise = undefined;
    if (reader && command?.status === 'ready') await command.del(this.replyStream).catch(() => undefined);
    await Promise.all([closeRedis(reader), closeRedis(command)]);
    // The reply loop ends with its connection; it is not waited for, a dropped connect may never settle.
    this.replyLoop = undefined;
    this.isManuallyClosed = false;
    this.wasInitialConnectionSuccessful = false;
  }

  unwrap<T>(): T {
    if (!this.command) throw new Error('Not initialized. Please call the "connect" method first.');
    return this.command as T;
  }

  override on<K extends keyof RedisStreamsEvents = keyof RedisStreamsEvents, C extends RedisStreamsEvents[K] = RedisStreamsEvents[K]>(event: K, callback: C): void {
    const listener = callback as unknown as Listener;
    this.listeners.push({ event, callback: listener });
    this.command?.on(event, (...args: unknown[]) => listener('command', ...args));
    this.replyReader?.on(event, (...args: unknown[]) => listener('reader', ...args));
  }

  /** Typed emit: resolves with the Redis entry id once stored (what emit() does, without rxjs). */
  async publishMessage<P extends object>(contract: StreamContract<P>, payload: P, options: OutboundMessageOptions = {}): Promise<string> {
    const packet = this.createPacket(contract.stream, new OutboundMessage(contract, payload, options));
    // Checked before connecting: a bad message fails the same way whether Redis is up or not.
    const { envelope, priority } = this.toEnvelope(contract.stream, packet.data);
    return this.xadd(contract.stream, priority, envelope);
  }

  /** Typed send: resolves with the handler's result, or rejects (handler error, timeout, close). */
  async request<R, P extends object = object>(contract: StreamContract<P>, payload: P, options: OutboundMessageOptions = {}): Promise<R> {
    return lastValueFrom(this.send<R>(contract.stream, new OutboundMessage(contract, payload, options)));
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const stream = this.normalizePattern(packet.pattern);
    const { envelope, priority } = this.toEnvelope(stream, packet.data);
    return (await this.xadd(stream, priority, envelope)) as T;
  }

  protected publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let requestId: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const packet = this.assignPacketId(partialPacket);
      const id = packet.id;
      requestId = id;
      const stream = this.normalizePattern(packet.pattern);
      const { envelope, priority } = this.toEnvelope(stream, packet.data, { correlationId: id, replyTo: this.replyStream });
      const finish = (reply: WritePacket): void => {
        clearTimeout(timer);
        if (this.routingMap.delete(id)) callback(reply);
      };
      this.routingMap.set(id, finish);
      timer = setTimeout(() => finish({ err: new RequestTimeoutException(stream, this.timeouts.request) }), this.timeouts.request);
      this.startReplyLoop();
      this.xadd(stream, priority, envelope).catch((err: unknown) => finish({ err }));
    } catch (err) {
      callback({ err });
    }
    return () => {
      clearTimeout(timer);
      if (requestId !== undefined) this.routingMap.delete(requestId);
    };
  }

  private async openCommandConnection(): Promise<void> {
    const command = this.connection('command', false);
    this.command = command;
    command.on('ready', () => {
      this._status$.next('connected');
      if (this.wasInitialConnectionSuccessful) this.logger.log('Reconnected to Redis');
      this.wasInitialConnectionSuccessful = true;
    });
    command.on('reconnecting', () => {
      if (!this.isManuallyClosed) this._status$.next('reconnecting');
    });
    command.on('end', () => {
      if (this.isManuallyClosed || this.command !== command) return;
      this._status$.next('disconnected');
      this.failInFlight(new Error('Connection closed'));
      this.command = undefined;
      this.connectionPromise = undefined;
    });
    await withDeadline(connectRedis(command), this.timeouts.publish, () => new Error(`Redis did not answer within ${this.timeouts.publish} ms`)).catch(
      (error: unknown) => {
        if (this.command === command) this.command = undefined;
        // Stop any reconnection. A connection that already ended must not be disconnected again:
        // ioredis would arm a 2 s timer for a socket that is gone, and nothing would clear it.
        if (command.status !== 'end') command.disconnect();
        throw error;
      },
    );
  }

  private connection(role: 'command' | 'reader', blocking: boolean): RedisConnection {
    const connection = createRedisConnection(blocking ? withBlockTime(this.options, this.timeouts.block) : { ...this.options, commandTimeoutMs: this.timeouts.publish }, {
      name: `peerfed:client:${this.clientId}:${role}`,
      blocking,
      isClosed: () => this.isManuallyClosed,
    });
    connection.on('error', (error: unknown) => {
      if (!this.isManuallyClosed) this.logger.error(`Redis ${role}: ${errorText(error)}`);
    });
    for (const { event, callback } of this.listeners) connection.on(event, (...args: unknown[]) => callback(role, ...args));
    return connection;
  }

  private toEnvelope(
    stream: string,
    data: unknown,
    request?: { correlationId: string; replyTo: string },
  ): { envelope: MessageEnvelope; priority: Priority } {
    let contract: StreamContract | undefined;
    let envelope: MessageEnvelope;
    let priority = this.options.defaultPriority ?? 'medium';
    if (data instanceof OutboundMessage) {
      contract = data.contract as StreamContract;
      if (contract.stream !== stream) throw new PublishFailedException(stream, `message was built for ${contract.stream}`);
      envelope = request ? { ...data.envelope, ...request } : data.envelope;
      priority = data.priority ?? priority;
    } else {
      contract = this.contracts.get(stream);
      if (!contract) throw new PublishFailedException(stream, 'no contract for this stream: pass an OutboundMessage or list it in `contracts`');
      envelope = createEnvelope(contract, data as object, request);
    }
    // The envelope is valid by construction (createEnvelope); the payload is the caller's.
    if (this.options.validateOnPublish === true) {
      const result = validatePayload(contract, envelope.payload);
      if (!result.ok) throw new PublishFailedException(stream, `invalid message: ${result.errors.join('; ')}`);
    }
    return { envelope, priority };
  }

  private async xadd(stream: string, priority: Priority, envelope: MessageEnvelope): Promise<string> {
    await this.connect();
    const command = this.command;
    if (!command) throw new PublishFailedException(stream, 'not connected');
    // The command connection's commandTimeout is publishTimeoutMs: no timer per message here.
    const id = await command.xadd(laneKey(stream, priority), '*', ENVELOPE_FIELD, JSON.stringify(envelope)).catch((error: unknown) => {
      throw new PublishFailedException(stream, errorText(error), { cause: error });
    });
    if (typeof id !== 'string') throw new PublishFailedException(stream, 'XADD returned no id');
    return id;
  }

  private startReplyLoop(): void {
    if (this.replyLoop) return;
    const reader = this.connection('reader', true);
    this.replyReader = reader;
    this.replyLoop = this.readReplies(reader);
  }

  private async readReplies(reader: RedisConnection): Promise<void> {
    let lastId = '0';
    let failures = 0;
    while (this.replyReader === reader && !this.isManuallyClosed) {
      try {
        // A lazy client connects on its first command.
        const reply: unknown = await reader.xread('COUNT', 100, 'BLOCK', this.timeouts.block, 'STREAMS', this.replyStream, lastId);
        for (const streamReply of asArray(reply)) {
          for (const entry of asArray(asArray(streamReply)[1])) {
            const [id, fields] = asArray(entry);
            lastId = String(id);
            this.deliverReply(asArray(fields).map(String));
          }
        }
        failures = 0;
      } catch (error) {
        if (this.replyReader !== reader || this.isManuallyClosed) break;
        failures++;
        this.logger.error(`Reply reader failed (attempt ${failures}): ${errorText(error)}`);
        await systemClock.sleep(backoffDelay(failures, { baseMs: 100, maxMs: 5000 }));
      }
    }
  }

  private deliverReply(fields: string[]): void {
    const map = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
    const callback = this.routingMap.get(map.get('correlationId') ?? '');
    if (!callback) return; // timed out, or answered already (a retried request)
    try {
      const body = JSON.parse(map.get('body') ?? '{}') as { response?: unknown; err?: unknown };
      callback(body.err !== undefined ? { err: body.err, isDisposed: true } : { response: body.response, isDisposed: true });
    } catch (error) {
      callback({ err: new Error(`Unreadable reply: ${errorText(error)}`), isDisposed: true });
    }
  }

  private failInFlight(error: Error): void {
    // Each callback removes its own entry (see publish()).
    const callbacks = [...this.routingMap.values()];
    for (const callback of callbacks) {
      try {
        (callback as (packet: WritePacket) => void)({ err: error });
      } catch (callbackError) {
        this.logger.error(errorText(callbackError));
      }
    }
  }
}

/** Settles like `promise`, or rejects with `onTimeout()` after `ms`. */
function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(errorText(error)));
      },
    );
  });
}
