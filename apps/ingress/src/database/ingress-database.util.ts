import { INGRESS_ENTITIES } from '@peerfed/ingress/data-access';
import { type DatabaseDefinition, ProcessedMessage } from '@peerfed/platform/database';
import { CreateProcessedMessages1795360000000 } from './migrations/1795360000000-CreateProcessedMessages';
import { CreateFederationTables1795400000000 } from './migrations/1795400000000-CreateFederationTables';
import { IndexRemoteActorInboxes1796653889000 } from './migrations/1796653889000-IndexRemoteActorInboxes';

/** The ingress service's schema, entities and migrations (in order). Nothing is synchronized. */
export const INGRESS_DATABASE: DatabaseDefinition = {
  schema: 'ingress',
  entities: [ProcessedMessage, ...INGRESS_ENTITIES],
  migrations: [CreateProcessedMessages1795360000000, CreateFederationTables1795400000000, IndexRemoteActorInboxes1796653889000],
};
