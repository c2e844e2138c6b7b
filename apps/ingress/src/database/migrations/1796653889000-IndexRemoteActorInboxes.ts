import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Remote actors by personal inbox: a 410 Gone from delivery names an inbox. Never edit after it lands. */
export class IndexRemoteActorInboxes1796653889000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "remote_actors_inbox_idx" ON "ingress"."remote_actors" ("inbox")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ingress"."remote_actors_inbox_idx"`);
  }
}
