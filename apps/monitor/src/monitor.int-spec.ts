import { findSchemaDrift } from '@peerfed/platform/database';
import { describeServiceBoot } from '@peerfed/platform/testing';
import { bootstrap } from './bootstrap';

describeServiceBoot({ service: 'monitor', bootstrap, tables: ['processed_messages', 'instances', 'circuit_transitions', 'admin_audit', 'delivery_records', 'archived_dead_letters'], findSchemaDrift });
