import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HEALTH_SETTINGS, type HealthSettings } from './health-settings.types';
import { MicroBatch } from './micro-batch.util';
import { RecordContactUsecase } from './record-contact.usecase';

/** Groups the hosts of concurrent inbound-activity handlers into one lookup (and one transaction). */
@Injectable()
export class ContactBatcher implements OnModuleDestroy {
  private readonly batch: MicroBatch<string, void>;

  constructor(usecase: RecordContactUsecase, @Inject(HEALTH_SETTINGS) settings: HealthSettings) {
    this.batch = new MicroBatch({
      name: ContactBatcher.name,
      maxSize: settings.outcomeBatchSize,
      lingerMs: settings.outcomeBatchLingerMs,
      runBatch: async (hosts) => {
        await usecase.execute(hosts);
        return hosts.map(() => undefined);
      },
      runOne: async (host) => {
        await usecase.execute([host]);
      },
    });
  }

  /** Settles when the contact of `host` is committed. */
  submit(host: string): Promise<void> {
    return this.batch.submit(host);
  }

  onModuleDestroy(): Promise<void> {
    return this.batch.drainNow();
  }
}
