import { findSchemaDrift } from '@peerfed/platform/database';
import { describeServiceBoot } from '@peerfed/platform/testing';
import { bootstrap } from './bootstrap';

describeServiceBoot({
  service: 'ingress',
  bootstrap,
  tables: ['processed_messages', 'local_actors', 'actor_keys', 'remote_actors', 'followers', 'following', 'objects', 'votes', 'inbound_activities'],
  findSchemaDrift,
});
