import { type DatabaseDefinition, ProcessedMessage } from '@peerfed/platform/database';
import { CreateProcessedMessages1795360000000 } from './migrations/1795360000000-CreateProcessedMessages';

/** The wallet service's schema, entities and migrations (in order). Nothing is synchronized. */
export const WALLET_DATABASE: DatabaseDefinition = {
  schema: 'wallet',
  entities: [ProcessedMessage],
  migrations: [CreateProcessedMessages1795360000000],
};
