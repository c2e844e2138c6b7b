import { AdminAuditEntity } from './entities/admin-audit.entity';
import { ArchivedDeadLetterEntity } from './entities/archived-dead-letter.entity';
import { CircuitTransitionEntity } from './entities/circuit-transition.entity';
import { DeliveryRecordEntity } from './entities/delivery-record.entity';
import { InstanceEntity } from './entities/instance.entity';

/** Every entity of the monitor schema (the app adds ProcessedMessage). */
export const MONITOR_ENTITIES = [InstanceEntity, CircuitTransitionEntity, AdminAuditEntity, DeliveryRecordEntity, ArchivedDeadLetterEntity];
