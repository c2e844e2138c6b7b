import { type DataSource, type EntityManager } from 'typeorm';
import { quoteSchema } from './schema-name.util';

export interface MessageKey {
  /** The consuming use case, e.g. "wallet.reserve-stake": one message may feed several consumers. */
  readonly consumer: string;
  /** The message's idempotency key. */
  readonly messageId: string;
}

export type RunOnceResult<T> = { readonly duplicate: true } | { readonly duplicate: false; readonly result: T };

/**
 * Applies a message's effect at most once per (consumer, messageId): the processed row and the
 * effect commit in ONE transaction. A concurrent duplicate blocks on the primary key until the
 * first transaction ends, then sees the row (skips) or, if the first rolled back, runs the effect
 * itself. If the effect throws, nothing is recorded and the message can be retried.
 */
export async function runOnce<T>(
  dataSource: DataSource,
  key: MessageKey,
  effect: (manager: EntityManager) => Promise<T>,
): Promise<RunOnceResult<T>> {
  const table = `${quoteSchema(schemaOf(dataSource))}."processed_messages"`;
  return dataSource.transaction(async (manager): Promise<RunOnceResult<T>> => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${table} ("consumer", "message_id") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [key.consumer, key.messageId],
    );
    if (inserted.length === 0) return { duplicate: true };
    return { duplicate: false, result: await effect(manager) };
  });
}

export function schemaOf(dataSource: DataSource): string {
  const schema = dataSource.options.type === 'postgres' ? dataSource.options.schema : undefined;
  if (!schema) throw new Error('The data source has no schema: create it with createDataSourceOptions()');
  return schema;
}
