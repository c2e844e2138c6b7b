export { MonitorHealthModule } from './lib/monitor-health.module';
export { HEALTH_SETTINGS, type HealthSettings } from './lib/health-settings.types';
export { hostOutcomeOf } from './lib/host-outcome.util';
export { RecordOutcomeUsecase, OUTCOME_CONSUMER, type RecordOutcomeCommand, type RecordOutcomeResult } from './lib/record-outcome.usecase';
export { CircuitRecoveryService } from './lib/circuit-recovery.service';
export { CircuitCommandsService, type CircuitCommand } from './lib/circuit-commands.service';
export { DeliveryOutcomesController } from './lib/delivery-outcomes.controller';
export { OutcomeBatcher } from './lib/outcome-batcher.service';
