import 'reflect-metadata';
import { runService } from '@peerfed/platform/observability';
import { bootstrap } from './bootstrap';

void runService('monitor', () => bootstrap());
