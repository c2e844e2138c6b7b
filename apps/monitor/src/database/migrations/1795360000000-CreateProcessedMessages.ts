import { createProcessedMessagesTable, dropProcessedMessagesTable } from '@peerfed/platform/database';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The monitor schema's idempotency table for its stream consumers. Never edit a migration that has landed. */
export class CreateProcessedMessages1795360000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await createProcessedMessagesTable(queryRunner, 'monitor');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropProcessedMessagesTable(queryRunner, 'monitor');
  }
}
