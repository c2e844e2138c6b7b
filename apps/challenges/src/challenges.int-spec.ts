import { findSchemaDrift } from '@peerfed/platform/database';
import { describeServiceBoot } from '@peerfed/platform/testing';
import { bootstrap } from './bootstrap';

describeServiceBoot({ service: 'challenges', bootstrap, tables: ['processed_messages'], findSchemaDrift });
