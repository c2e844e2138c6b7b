import { Logger } from '@nestjs/common';
import { type RedisConnection } from '@peerfed/platform/streams';
import { CIRCUIT_CHANGES_CHANNEL, CIRCUIT_STATE_KEY, type CircuitSnapshot, parseCircuitSnapshot } from '@peerfed/shared/contracts';

/**
 * The circuit snapshots the monitor publishes, cached in memory: reloaded on every message of
 * CIRCUIT_CHANGES_CHANNEL and by a poll (default 1 s) in case a message was missed. An unknown
 * host reads as closed.
 */
export class CircuitCache {
  private readonly logger = new Logger(CircuitCache.name);
  private snapshots = new Map<string, CircuitSnapshot>();
  private timer: NodeJS.Timeout | undefined;
  private subscriber: RedisConnection | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly pollMs = 1000,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', () => void this.refresh());
    subscriber.on('error', (error: unknown) => this.logger.warn(`circuit subscription: ${String(error)}`));
    await subscriber.subscribe(CIRCUIT_CHANGES_CHANNEL);
    this.timer = setInterval(() => void this.refresh(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  get(host: string): CircuitSnapshot | undefined {
    return this.snapshots.get(host);
  }

  /** Reloads every snapshot (concurrent calls share one read); a failed read keeps the last known state. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      const raw = await this.redis.hgetall(CIRCUIT_STATE_KEY);
      const next = new Map<string, CircuitSnapshot>();
      for (const [host, value] of Object.entries(raw)) {
        const snapshot = parseCircuitSnapshot(value);
        if (snapshot) next.set(host, snapshot);
      }
      this.snapshots = next;
    } catch (error) {
      this.logger.warn(`circuit refresh failed, keeping the last snapshot: ${String(error)}`);
    }
  }
}
