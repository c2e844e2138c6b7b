import { type DynamicModule, Module } from '@nestjs/common';
import { type SettingsProvider } from '@peerfed/monitor/data-access';
import { ADMIN_SETTINGS, type AdminSettings } from './admin-settings.types';
import { ADMIN_AUTHENTICATORS, type AdminAuthenticator } from './auth/admin-principal.types';
import { AdminTokenAuthenticator } from './auth/admin-token.authenticator';
import { AdminGuard } from './auth/admin.guard';
import { DeadLetterAdminService } from './dead-letters/dead-letter-admin.service';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeliveryAdminClient } from './delivery-dead-letters/delivery-admin.client';
import { DeliveryDeadLetterAdminService } from './delivery-dead-letters/delivery-dead-letter-admin.service';
import { DeliveryDeadLettersController } from './delivery-dead-letters/delivery-dead-letters.controller';
import { InstancesController } from './instances/instances.controller';
import { LifecycleService } from './lifecycle/lifecycle.service';
import { MemoryReader } from './lifecycle/memory-reader.service';
import { MonitorMetricsService } from './metrics/monitor-metrics.service';
import { AuditController } from './operations/audit.controller';
import { LifecycleController } from './operations/lifecycle.controller';
import { MemoryController } from './operations/memory.controller';
import { RetriesController } from './operations/retries.controller';
import { TasksController } from './operations/tasks.controller';
import { ScheduledRetriesService } from './retries/scheduled-retries.service';
import { StreamInspector } from './streams/stream-inspector.service';
import { StreamsController } from './streams/streams.controller';
import { WorkersController } from './streams/workers.controller';

/**
 * The admin API (/api/v1/admin/...), the stream lifecycle job and the monitor's Prometheus series.
 * Needs MonitorDataAccessModule (global); the circuit commands come from MonitorHealthModule,
 * which the app imports (pass the same module here).
 */
@Module({})
export class MonitorAdminModule {
  static forRoot(options: { settings: SettingsProvider<AdminSettings>; health: DynamicModule }): DynamicModule {
    return {
      module: MonitorAdminModule,
      imports: [options.health],
      controllers: [
        StreamsController, WorkersController, InstancesController, DeadLettersController, DeliveryDeadLettersController,
        RetriesController, MemoryController, LifecycleController, TasksController, AuditController,
      ],
      providers: [
        { provide: ADMIN_SETTINGS, useFactory: options.settings.useFactory, inject: [...options.settings.inject] },
        // More authenticators (a JWT with an admin role claim) join this list once accounts exist.
        {
          provide: ADMIN_AUTHENTICATORS,
          useFactory: (settings: AdminSettings): AdminAuthenticator[] => [new AdminTokenAuthenticator(settings.adminToken)],
          inject: [ADMIN_SETTINGS],
        },
        AdminGuard,
        StreamInspector,
        MemoryReader,
        DeadLetterAdminService,
        DeliveryAdminClient,
        DeliveryDeadLetterAdminService,
        ScheduledRetriesService,
        LifecycleService,
        MonitorMetricsService,
      ],
      exports: [LifecycleService, StreamInspector, DeadLetterAdminService],
    };
  }
}
