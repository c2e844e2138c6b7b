import { type DataSource } from 'typeorm';

/**
 * The SQL TypeORM would run to make the database match the entities (what
 * `typeorm migration:generate --check` detects). Empty after migrations means entities and
 * migrations agree; anything else is drift that needs a new migration.
 */
export async function findSchemaDrift(dataSource: DataSource): Promise<string[]> {
  const pending = await dataSource.driver.createSchemaBuilder().log();
  return pending.upQueries.map((query) => query.query);
}
