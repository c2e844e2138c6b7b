import { MONITOR_ENTITIES } from '@peerfed/monitor/data-access';
import { type DatabaseDefinition, ProcessedMessage } from '@peerfed/platform/database';
import { CreateProcessedMessages1795360000000 } from './migrations/1795360000000-CreateProcessedMessages';
import { CreateMonitorTables1795500000000 } from './migrations/1795500000000-CreateMonitorTables';

/** The monitor service's schema, entities and migrations (in order). Nothing is synchronized. */
export const MONITOR_DATABASE: DatabaseDefinition = {
  schema: 'monitor',
  entities: [ProcessedMessage, ...MONITOR_ENTITIES],
  migrations: [CreateProcessedMessages1795360000000, CreateMonitorTables1795500000000],
};
