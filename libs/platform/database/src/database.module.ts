import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BaseEnv } from '@peerfed/platform/config';
import { DataSource } from 'typeorm';
import { createDataSourceOptions, type EntityTarget, type MigrationClass } from './data-source-options.util';
import { runMigrations } from './migration-runner.util';
import { PROCESSED_MESSAGES_SWEEP_MS, ProcessedMessagesExpiry } from './processed-messages-expiry.service';
import { TypeOrmLogger } from './typeorm-logger.util';

/** What a service declares about its database: its schema, entities and migrations. */
export interface DatabaseDefinition {
  readonly schema: string;
  readonly entities: readonly EntityTarget[];
  readonly migrations: readonly MigrationClass[];
}

/**
 * The service's TypeORM connection, configured from BaseEnv (DATABASE_URL, DATABASE_POOL_SIZE).
 * With MIGRATIONS_RUN=true, pending migrations are applied before the module resolves, so no
 * consumer or route runs against an old schema. It also sweeps expired processed_messages rows
 * (PROCESSED_MESSAGES_RETENTION_DAYS) every hour.
 */
@Module({})
export class DatabaseModule {
  static forRoot(definition: DatabaseDefinition): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [BaseEnv],
          useFactory: (config: BaseEnv) => ({
            ...createDataSourceOptions({
              url: config.DATABASE_URL,
              schema: definition.schema,
              entities: definition.entities,
              migrations: definition.migrations,
              poolSize: config.DATABASE_POOL_SIZE,
              logger: new TypeOrmLogger(),
            }),
            // Carried to the factory below, which runs them under the advisory lock.
            migrationsRun: config.MIGRATIONS_RUN,
            // A failing start is better restarted by the orchestrator than retried for minutes.
            retryAttempts: 2,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options) => {
            if (!options) throw new Error('DatabaseModule: missing data source options');
            const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
            if (!options.migrationsRun) return dataSource;
            try {
              const applied = await runMigrations(dataSource, definition.schema);
              new Logger('Migrations').log({ msg: `schema ${definition.schema}: ${applied.length} migration(s) applied`, applied });
              return dataSource;
            } catch (error) {
              // A retry (or the orchestrator's restart) opens a fresh pool; do not leak this one.
              await dataSource.destroy();
              throw error;
            }
          },
        }),
      ],
      providers: [
        {
          provide: ProcessedMessagesExpiry,
          inject: [DataSource, BaseEnv],
          useFactory: (dataSource: DataSource, config: BaseEnv) =>
            new ProcessedMessagesExpiry(dataSource, { retentionDays: config.PROCESSED_MESSAGES_RETENTION_DAYS, intervalMs: PROCESSED_MESSAGES_SWEEP_MS }),
        },
      ],
      exports: [TypeOrmModule, ProcessedMessagesExpiry],
    };
  }
}
