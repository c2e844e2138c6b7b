import { type DataSourceOptions, type EntitySchema, type Logger as TypeOrmLogger, type MigrationInterface } from 'typeorm';
import { quoteSchema } from './schema-name.util';

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own entity type
export type EntityTarget = Function | EntitySchema;
export type MigrationClass = new () => MigrationInterface;

export interface DataSourceSettings {
  /** postgres:// URL. */
  readonly url: string;
  /** The service's own schema; tables, migrations table and search_path all live there. */
  readonly schema: string;
  /** Explicit list: no globbing, so the build output cannot pick up stray files. */
  readonly entities: readonly EntityTarget[];
  readonly migrations: readonly MigrationClass[];
  readonly poolSize?: number;
  /** Shown in pg_stat_activity; defaults to peerfed-<schema>. */
  readonly applicationName?: string;
  readonly logger?: TypeOrmLogger;
}

/** TypeORM options for one service: one schema, one migrations table, never synchronize. */
export function createDataSourceOptions(settings: DataSourceSettings): PostgresDataSourceOptions {
  quoteSchema(settings.schema);
  return {
    type: 'postgres',
    url: settings.url,
    schema: settings.schema,
    entities: [...settings.entities],
    migrations: [...settings.migrations],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    // Migrations run through runMigrations (advisory lock), never implicitly.
    migrationsRun: false,
    synchronize: false,
    dropSchema: false,
    poolSize: settings.poolSize ?? 10,
    applicationName: settings.applicationName ?? `peerfed-${settings.schema}`,
    maxQueryExecutionTime: 1000,
    logger: settings.logger,
    // Unqualified names resolve in the service's schema first (public only for extensions).
    extra: { options: `-c search_path=${settings.schema},public` },
  };
}
