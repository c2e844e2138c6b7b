import { type DynamicModule, Module } from '@nestjs/common';
import { type SettingsProvider } from '@peerfed/monitor/data-access';
import { CircuitCommandsService } from './circuit-commands.service';
import { CircuitRecoveryService } from './circuit-recovery.service';
import { ContactBatcher } from './contact-batcher.service';
import { DeliveryOutcomesController } from './delivery-outcomes.controller';
import { HEALTH_SETTINGS, type HealthSettings } from './health-settings.types';
import { InboundContactsController } from './inbound-contacts.controller';
import { OutcomeBatcher } from './outcome-batcher.service';
import { RecordContactUsecase } from './record-contact.usecase';
import { RecordOutcomeUsecase } from './record-outcome.usecase';

/**
 * Instance health and circuit breakers: the delivery.outcomes.v1 consumer, the ingress.inbound.v1
 * contact consumer (clears the unavailable mark), the recovery timer and
 * the manual circuit commands. Needs MonitorDataAccessModule (global) in the app.
 */
@Module({})
export class MonitorHealthModule {
  static forRoot(settings: SettingsProvider<HealthSettings>): DynamicModule {
    return {
      module: MonitorHealthModule,
      controllers: [DeliveryOutcomesController, InboundContactsController],
      providers: [
        { provide: HEALTH_SETTINGS, useFactory: settings.useFactory, inject: [...settings.inject] },
        RecordOutcomeUsecase,
        OutcomeBatcher,
        RecordContactUsecase,
        ContactBatcher,
        CircuitRecoveryService,
        CircuitCommandsService,
      ],
      exports: [CircuitCommandsService, CircuitRecoveryService, RecordOutcomeUsecase, OutcomeBatcher, RecordContactUsecase, ContactBatcher],
    };
  }
}
