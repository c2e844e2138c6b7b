import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HEALTH_SETTINGS, type HealthSettings } from './health-settings.types';
import { MicroBatch } from './micro-batch.util';
import { type RecordOutcomeCommand, type RecordOutcomeResult, RecordOutcomeUsecase } from './record-outcome.usecase';

/**
 * Collects the outcomes the transport hands to concurrent handlers and applies them in batches
 * (one transaction, one lock per host), so the monitor keeps up with delivery. Each handler's
 * promise settles when its batch commits, so the transport acks only committed messages. If a
 * batch fails, its messages are retried one by one: one poison message fails alone.
 */
@Injectable()
export class OutcomeBatcher implements OnModuleDestroy {
  private readonly batch: MicroBatch<RecordOutcomeCommand, RecordOutcomeResult>;

  constructor(usecase: RecordOutcomeUsecase, @Inject(HEALTH_SETTINGS) settings: HealthSettings) {
    this.batch = new MicroBatch({
      name: OutcomeBatcher.name,
      maxSize: settings.outcomeBatchSize,
      lingerMs: settings.outcomeBatchLingerMs,
      runBatch: (commands) => usecase.executeBatch(commands),
      runOne: (command) => usecase.execute(command),
    });
  }

  submit(command: RecordOutcomeCommand): Promise<RecordOutcomeResult> {
    return this.batch.submit(command);
  }

  onModuleDestroy(): Promise<void> {
    return this.batch.drainNow();
  }
}
