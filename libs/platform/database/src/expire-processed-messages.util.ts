import { type DataSource } from 'typeorm';
import { schemaOf } from './run-once.util';
import { quoteSchema } from './schema-name.util';

export interface ExpireOptions {
  readonly olderThanDays: number;
  /** Injected clock; defaults to now. */
  readonly now?: Date;
  /** Rows deleted per statement, to keep each transaction short. */
  readonly batchSize?: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes processed-message rows older than N days, in batches. A message redelivered after its
 * row expired would run again, so N must exceed the longest redelivery window (dead-letter replay).
 * Returns the number of rows deleted.
 */
export async function expireProcessedMessages(dataSource: DataSource, options: ExpireOptions): Promise<number> {
  if (!(options.olderThanDays > 0)) throw new Error('olderThanDays must be positive');
  const table = `${quoteSchema(schemaOf(dataSource))}."processed_messages"`;
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanDays * DAY_MS);
  const batchSize = options.batchSize ?? 5000;
  let total = 0;
  for (;;) {
    const [, deleted]: [unknown, number] = await dataSource.query(
      `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE "processed_at" < $1 LIMIT $2)`,
      [cutoff, batchSize],
    );
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
