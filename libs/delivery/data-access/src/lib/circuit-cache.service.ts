import { Logger } from '@nestjs/common';
import { type RedisConnection } from '@peerfed/platform/streams';
import { CIRCUIT_CHANGES_CHANNEL, CIRCUIT_STATE_KEY, type CircuitSnapshot, parseCircuitSnapshot } from '@peerfed/shared/contracts';
import { RedisHashMirror } from './redis-hash-mirror.util';

/**
 * The circuit snapshots the monitor publishes, cached in memory: reloaded on every message of
 * CIRCUIT_CHANGES_CHANNEL and by a poll (default 1 s) in case a message was missed. An unknown
 * host reads as closed.
 */
export class CircuitCache {
  private readonly logger = new Logger(CircuitCache.name);
  private readonly mirror: RedisHashMirror<CircuitSnapshot>;
  private subscriber: RedisConnection | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly pollMs = 1000,
  ) {
    this.mirror = new RedisHashMirror(redis, CIRCUIT_STATE_KEY, parseCircuitSnapshot, CircuitCache.name);
  }

  async start(): Promise<void> {
    await this.refresh();
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', () => void this.refresh());
    subscriber.on('error', (error: unknown) => this.logger.warn(`circuit subscription: ${String(error)}`));
    await subscriber.subscribe(CIRCUIT_CHANGES_CHANNEL);
    this.mirror.startPolling(this.pollMs);
  }

  async stop(): Promise<void> {
    this.mirror.stopPolling();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  get(host: string): CircuitSnapshot | undefined {
    return this.mirror.get(host);
  }

  /** Reloads every snapshot (concurrent calls share one read); a failed read keeps the last known state. */
  refresh(): Promise<void> {
    return this.mirror.refresh();
  }
}
