export {
  createDataSourceOptions,
  type DataSourceSettings,
  type EntityTarget,
  type MigrationClass,
  type PostgresDataSourceOptions,
} from './data-source-options.util';
export { DatabaseModule, type DatabaseDefinition } from './database.module';
export { expireProcessedMessages, type ExpireOptions } from './expire-processed-messages.util';
export { runMigrations } from './migration-runner.util';
export { ProcessedMessage } from './processed-message.entity';
export {
  PROCESSED_MESSAGES_SWEEP_MS,
  ProcessedMessagesExpiry,
  type ProcessedMessagesExpirySettings,
} from './processed-messages-expiry.service';
export { createProcessedMessagesTable, dropProcessedMessagesTable } from './processed-messages-table.util';
export { runOnce, schemaOf, type MessageKey, type RunOnceResult } from './run-once.util';
export { findSchemaDrift } from './schema-drift.util';
export { quoteSchema } from './schema-name.util';
export { TypeOrmLogger } from './typeorm-logger.util';
