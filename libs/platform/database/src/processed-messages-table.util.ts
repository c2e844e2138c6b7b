import { type QueryRunner } from 'typeorm';
import { quoteSchema } from './schema-name.util';

// Same shape as the ProcessedMessage entity, so the schema drift check finds nothing to change.

/** Called by each service's first migration. */
export async function createProcessedMessagesTable(queryRunner: QueryRunner, schema: string): Promise<void> {
  const quoted = quoteSchema(schema);
  await queryRunner.query(
    `CREATE TABLE ${quoted}."processed_messages" (
      "consumer" character varying NOT NULL,
      "message_id" character varying NOT NULL,
      "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "processed_messages_pkey" PRIMARY KEY ("consumer", "message_id")
    )`,
  );
  await queryRunner.query(
    `CREATE INDEX "processed_messages_processed_at_idx" ON ${quoted}."processed_messages" ("processed_at")`,
  );
}

export async function dropProcessedMessagesTable(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE ${quoteSchema(schema)}."processed_messages"`);
}
