import { Logger } from '@nestjs/common';
import { type RedisConnection } from '@peerfed/platform/streams';

/**
 * An in-memory copy of one small Redis hash that hot paths read without a round trip: reloaded
 * whole by refresh() (concurrent calls share one HGETALL) and by an optional poll. Fields whose
 * value does not parse are left out; a failed reload keeps the last copy.
 */
export class RedisHashMirror<T> {
  private readonly logger: Logger;
  private entries = new Map<string, T>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisConnection,
    readonly key: string,
    private readonly parse: (raw: string) => T | undefined,
    name: string,
  ) {
    this.logger = new Logger(name);
  }

  get(field: string): T | undefined {
    return this.entries.get(field);
  }

  /** Changes the local copy only, for a write this process has just made to Redis itself. */
  remember(field: string, value: T): void {
    this.entries.set(field, value);
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  startPolling(intervalMs: number): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async load(): Promise<void> {
    try {
      const raw = await this.redis.hgetall(this.key);
      const next = new Map<string, T>();
      for (const [field, value] of Object.entries(raw)) {
        const parsed = this.parse(value);
        if (parsed !== undefined) next.set(field, parsed);
      }
      this.entries = next;
    } catch (error) {
      this.logger.warn(`reloading ${this.key} failed, keeping the last copy: ${String(error)}`);
    }
  }
}
