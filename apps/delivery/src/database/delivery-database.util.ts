import { DELIVERY_ENTITIES } from '@peerfed/delivery/data-access';
import { type DatabaseDefinition, ProcessedMessage } from '@peerfed/platform/database';
import { CreateProcessedMessages1795360000000 } from './migrations/1795360000000-CreateProcessedMessages';
import { CreateDeliveryTables1795370000000 } from './migrations/1795370000000-CreateDeliveryTables';

/** The delivery service's schema, entities and migrations (in order). Nothing is synchronized. */
export const DELIVERY_DATABASE: DatabaseDefinition = {
  schema: 'delivery',
  entities: [ProcessedMessage, ...DELIVERY_ENTITIES],
  migrations: [CreateProcessedMessages1795360000000, CreateDeliveryTables1795370000000],
};
