import { findSchemaDrift } from '@peerfed/platform/database';
import { describeServiceBoot } from '@peerfed/platform/testing';
import { bootstrap } from './bootstrap';

describeServiceBoot({ service: 'wallet', bootstrap, tables: ['processed_messages'], findSchemaDrift });
