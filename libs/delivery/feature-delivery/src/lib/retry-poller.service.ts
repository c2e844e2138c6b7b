import { Logger } from '@nestjs/common';
import { type DelayedTasksRepository } from '@peerfed/delivery/data-access';
import { PeriodicJob } from '@peerfed/shared/util';
import { type DeliveryClock } from './delivery-settings.types';

/**
 * Moves due retries and deferrals from the delayed set back onto the task lanes, every
 * `intervalMs`. Any number of replicas may run it: the move is one atomic script, so a task is
 * moved exactly once. Nothing lives in memory, so a restart loses nothing.
 */
export class RetryPoller {
  private readonly logger = new Logger(RetryPoller.name);
  private readonly polls = new PeriodicJob(() => this.drain(), (error) => this.logger.warn(`retry poll failed: ${String(error)}`));

  constructor(
    private readonly delayed: DelayedTasksRepository,
    private readonly clock: DeliveryClock,
    private readonly batch = 500,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.polls.start(this.intervalMs);
  }

  stop(): Promise<void> {
    return this.polls.stop();
  }

  /** Moves everything due now (in batches, at most 100 batches per call); returns how many moved. */
  pollOnce(): Promise<number> {
    return this.polls.runNow();
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (let round = 0; round < 100; round++) {
      const moved = await this.delayed.moveDue(this.clock.now(), this.batch);
      total += moved;
      if (moved < this.batch) break;
    }
    return total;
  }
}
