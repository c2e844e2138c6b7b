import { type DataSource, MigrationExecutor } from 'typeorm';
import { quoteSchema } from './schema-name.util';

/**
 * Creates the schema and applies pending migrations in one transaction. A session-level advisory
 * lock keyed by the schema serialises replicas that start at the same time: the second one waits,
 * then finds nothing pending. Returns the names of the migrations applied by this call.
 */
export async function runMigrations(dataSource: DataSource, schema: string): Promise<string[]> {
  const quoted = quoteSchema(schema);
  const lockKey = `peerfed:migrations:${schema}`;
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'all';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await queryRunner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    await queryRunner.release();
  }
}
