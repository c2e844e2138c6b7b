import { createDeliveryTables, dropDeliveryTables } from '@peerfed/delivery/data-access';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Activities, follower projection, delivery records, dead letters. Never edit once landed. */
export class CreateDeliveryTables1795370000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await createDeliveryTables(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropDeliveryTables(queryRunner);
  }
}
