import { type LoggerService } from '@nestjs/common';
import { PRIORITIES } from '@peerfed/shared/contracts';
import { type ConcurrencyLimiter } from './concurrency-limiter.util';
import { errorText, isNoGroupError } from './error-text.util';
import { type MessageDispatcher } from './message-dispatcher.service';
import { type StreamBinding } from './stream-binding.types';
import { type StreamCommands } from './stream-commands.repository';
import { type StreamMetrics } from './stream-metrics.service';
import { type StreamsClock } from './streams-clock.util';

export interface JanitorOptions {
  consumer: string;
  claimIdleMs: number;
  intervalMs: number;
  maxBatchSize: number;
  consumerIdleDeleteMs: number;
}

export interface JanitorDeps {
  commands: StreamCommands;
  limiter: ConcurrencyLimiter;
  dispatcher: MessageDispatcher;
  metrics: StreamMetrics;
  ensureGroups: (binding: StreamBinding) => Promise<void>;
  clock: StreamsClock;
  logger: LoggerService;
  random?: () => number;
}

// Claim rounds per lane and run: bounds one run when a whole fleet died with full pending lists.
const MAX_CLAIM_ROUNDS = 20;
// Entry ids per XCLAIM of the keep-alive.
const KEEP_ALIVE_BATCH = 200;
// Handlers running longer than this many claimIdleMs are no longer kept alive (5 min by default).
const HUNG_AFTER_CLAIM_IDLE = 5;

/**
 * Periodic upkeep of a server's streams: keeps this process's long-running entries from looking
 * idle, reclaims entries idle longer than claimIdleMs from any consumer (crashed processes, and
 * this process's own failed attempts, which is how a failed message is retried), refreshes the
 * pending and lag gauges, and deletes long-idle empty consumers.
 */
export class StreamJanitor {
  private stopping = false;
  private readonly abort = new AbortController();
  private finished: Promise<void> | undefined;

  constructor(
    private readonly bindings: readonly StreamBinding[],
    private readonly options: JanitorOptions,
    private readonly deps: JanitorDeps,
  ) {}

  start(): void {
    this.finished ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.finished;
  }

  /** One pass over every binding; errors are logged per binding and never thrown. */
  async runOnce(): Promise<void> {
    for (const binding of this.bindings) {
      if (this.stopping) return;
      try {
        await this.keepAlive(binding);
        await this.reclaim(binding);
        await this.refreshGauges(binding);
        for (const key of binding.keys) {
          await this.deps.commands.reapConsumers(key, binding.group, this.options.consumerIdleDeleteMs, this.options.consumer);
        }
      } catch (error) {
        if (this.stopping) return; // the connection is going away with the server
        if (isNoGroupError(error)) {
          await this.deps.ensureGroups(binding).catch(() => undefined);
        } else {
          this.deps.logger.error(`${binding.stream}: janitor run failed: ${errorText(error)}`);
        }
      }
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      // +-20 % jitter keeps a fleet of consumers from claiming in lockstep.
      const jitter = 0.8 + 0.4 * (this.deps.random ?? Math.random)();
      await this.deps.clock.sleep(Math.round(this.options.intervalMs * jitter), this.abort.signal);
      if (this.stopping) break;
      await this.runOnce();
    }
  }

  /**
   * Entries whose handler has run for a third of claimIdleMs get their idle time reset, so a slow
   * handler is not taken for a dead one and run a second time elsewhere (the janitor runs far more
   * often than claimIdleMs: 10 s against 60 s by default). A handler still running after
   * HUNG_AFTER_CLAIM_IDLE x claimIdleMs is taken for hung: its entry is left to be reclaimed and
   * retried, and counts toward maxDeliveries, as before there was a keep-alive.
   */
  private async keepAlive(binding: StreamBinding): Promise<void> {
    const threshold = Math.floor(this.options.claimIdleMs / 3);
    const now = this.deps.clock.now();
    for (const key of binding.keys) {
      const ids = this.deps.dispatcher.heldBetween(key, now - HUNG_AFTER_CLAIM_IDLE * this.options.claimIdleMs, now - threshold);
      for (let start = 0; start < ids.length; start += KEEP_ALIVE_BATCH) {
        await this.deps.commands.keepAlive(key, binding.group, this.options.consumer, threshold, ids.slice(start, start + KEEP_ALIVE_BATCH));
      }
    }
  }

  private async reclaim(binding: StreamBinding): Promise<void> {
    for (let lane = 0; lane < binding.keys.length; lane++) {
      const key = binding.keys[lane];
      let cursor = '0-0';
      for (let round = 0; round < MAX_CLAIM_ROUNDS && !this.stopping; round++) {
        await this.deps.limiter.whenFree(1);
        // Claim no more than there is room for: claimed entries must not sit idle here.
        const room = Math.max(1, Math.min(this.options.maxBatchSize, this.deps.limiter.free));
        const claimed = await this.deps.commands.claimIdle(key, lane, binding.group, this.options.consumer, this.options.claimIdleMs, cursor, room);
        for (const entry of claimed.entries) {
          if (this.deps.dispatcher.isHeld(key, entry.id)) continue;
          await this.deps.limiter.acquire();
          void this.deps.dispatcher.start(binding, entry);
        }
        if (claimed.deletedIds.length > 0) {
          this.deps.logger.warn?.(`${binding.stream}: ${claimed.deletedIds.length} pending entries of ${key} were deleted before being handled`);
        }
        cursor = claimed.cursor;
        if (cursor === '0-0') break;
      }
    }
  }

  private async refreshGauges(binding: StreamBinding): Promise<void> {
    const stats = await this.deps.commands.groupStats(binding.keys, binding.group);
    stats.forEach((stat, lane) => {
      const labels = { stream: binding.stream, group: binding.group, priority: PRIORITIES[lane] };
      this.deps.metrics.pending.set(labels, stat.pending);
      if (stat.lag !== null) this.deps.metrics.lag.set(labels, stat.lag);
    });
  }
}
