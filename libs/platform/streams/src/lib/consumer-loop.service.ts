import { type LoggerService } from '@nestjs/common';
import { backoffDelay } from './backoff.util';
import { type ConcurrencyLimiter } from './concurrency-limiter.util';
import { errorText, isNoGroupError } from './error-text.util';
import { type MessageDispatcher } from './message-dispatcher.service';
import { type PriorityShares } from './priority-shares.util';
import { type StreamBinding } from './stream-binding.types';
import { type DeliveredEntry, type StreamCommands } from './stream-commands.repository';
import { type StreamsClock } from './streams-clock.util';

export interface ConsumerLoopOptions {
  consumer: string;
  maxBatchSize: number;
  blockMs: number;
  errorBackoffMs: number;
  maxErrorBackoffMs: number;
}

export interface ConsumerLoopDeps {
  /** Commands on this loop's own connection (it blocks in XREADGROUP). */
  reader: StreamCommands;
  limiter: ConcurrencyLimiter;
  dispatcher: MessageDispatcher;
  shares: PriorityShares;
  /** Recreates the binding's groups (after NOGROUP: a FLUSHALL or a deleted stream). */
  ensureGroups: (binding: StreamBinding) => Promise<void>;
  clock: StreamsClock;
  logger: LoggerService;
  random?: () => number;
}

export interface LoopHealth {
  stream: string;
  running: boolean;
  lastReadAt?: string;
  lastError?: string;
}

// A stable consumer name can inherit a long pending list; read it in bounded pages.
const MAX_HISTORY_PAGES = 10_000;

/**
 * The read loop of one stream and group. Each cycle waits for room under the concurrency cap,
 * reads the lanes by weighted share (non-blocking), and only when that found nothing blocks on
 * all lanes. After start, after any failed read and after a reconnect it first re-reads its own
 * pending entries (id 0): a read whose reply was lost still delivered its entries to this consumer.
 * Errors never end the loop: they are recorded for health() and retried with capped, jittered backoff.
 */
export class ConsumerLoop {
  private stopping = false;
  private readonly abort = new AbortController();
  private replayPending = true;
  private running = false;
  private lastReadAt: number | undefined;
  private lastError: string | undefined;
  private finished: Promise<void> | undefined;

  constructor(
    readonly binding: StreamBinding,
    private readonly options: ConsumerLoopOptions,
    private readonly deps: ConsumerLoopDeps,
  ) {}

  start(): void {
    this.finished ??= this.run();
  }

  /** The connection came back: entries delivered while it was gone must be re-read. */
  markReconnected(): void {
    this.replayPending = true;
  }

  /** Stops reading; entries already read are still dispatched. Resolves when the loop ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.finished;
  }

  health(): LoopHealth {
    return {
      stream: this.binding.stream,
      running: this.running,
      ...(this.lastReadAt !== undefined && { lastReadAt: new Date(this.lastReadAt).toISOString() }),
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    };
  }

  private async run(): Promise<void> {
    this.running = true;
    let failures = 0;
    while (!this.stopping) {
      try {
        if (this.replayPending) {
          // Cleared first: a reconnect during this read sets it again.
          this.replayPending = false;
          await this.readOwnPending();
        } else {
          await this.readNew();
          // Only a read of new entries proves the loop healthy again (history reads may work
          // while new reads keep failing, and must not reset the backoff).
          this.lastError = undefined;
          failures = 0;
        }
        this.lastReadAt = this.deps.clock.now();
      } catch (error) {
        this.replayPending = true;
        if (this.stopping) break;
        failures++;
        this.lastError = errorText(error);
        if (isNoGroupError(error)) {
          this.deps.logger.warn?.(`${this.binding.stream}: consumer group ${this.binding.group} is gone, recreating it`);
          try {
            await this.deps.ensureGroups(this.binding);
            continue;
          } catch (recreateError) {
            this.lastError = errorText(recreateError);
          }
        }
        const delay = backoffDelay(failures, { baseMs: this.options.errorBackoffMs, maxMs: this.options.maxErrorBackoffMs }, this.deps.random);
        this.deps.logger.error(`${this.binding.stream}: read failed (attempt ${failures}), retrying in ${delay} ms: ${this.lastError}`);
        await this.deps.clock.sleep(delay, this.abort.signal);
      }
    }
    this.running = false;
  }

  private batchSize(): number {
    return Math.min(this.options.maxBatchSize, this.deps.limiter.limit);
  }

  private async readNew(): Promise<void> {
    const { keys, group } = this.binding;
    await this.deps.limiter.whenFree(this.batchSize());
    if (this.stopping) return;
    const capacity = Math.max(1, Math.min(this.batchSize(), this.deps.limiter.free));
    let entries = await this.deps.reader.readLanes(keys, group, this.options.consumer, this.deps.shares.next(capacity), capacity);
    if (entries.length === 0) {
      if (this.stopping) return;
      // Nothing anywhere: wait on all lanes at once. COUNT applies per lane, so split the room.
      const perLane = Math.max(1, Math.floor(capacity / keys.length));
      entries = await this.deps.reader.readBlocking(keys, group, this.options.consumer, perLane, this.options.blockMs);
    }
    await this.dispatchAll(entries);
  }

  private async readOwnPending(): Promise<void> {
    const { keys, group } = this.binding;
    for (let lane = 0; lane < keys.length; lane++) {
      let after = '0';
      for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
        await this.deps.limiter.whenFree(this.batchSize());
        const entries = await this.deps.reader.readHistory(keys[lane], lane, group, this.options.consumer, after, this.batchSize());
        if (entries.length === 0) break;
        after = entries[entries.length - 1].id;
        await this.dispatchAll(entries);
      }
    }
  }

  private async dispatchAll(entries: readonly DeliveredEntry[]): Promise<void> {
    for (const entry of entries) {
      if (this.deps.dispatcher.isHeld(this.binding.keys[entry.lane], entry.id)) continue;
      await this.deps.limiter.acquire();
      void this.deps.dispatcher.start(this.binding, entry);
    }
  }
}
