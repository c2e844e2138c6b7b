import { findSchemaDrift } from '@peerfed/platform/database';
import { describeServiceBoot } from '@peerfed/platform/testing';
import { bootstrap } from './bootstrap';

describeServiceBoot({ service: 'delivery', bootstrap, tables: ['activities', 'dead_letters', 'delivery_records', 'followers', 'processed_messages'], findSchemaDrift });
