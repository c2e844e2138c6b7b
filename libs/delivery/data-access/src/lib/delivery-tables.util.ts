import { type QueryRunner } from 'typeorm';

type Runner = Pick<QueryRunner, 'query'>;

/**
 * Delivery's own tables: activities (stored once per publication), the follower projection fed
 * by ingress.followers.v1, archived delivery records, and dead letters. Called by the service's
 * migration (and by integration tests of this lib on a throwaway database).
 */
export async function createDeliveryTables(queryRunner: Runner): Promise<void> {
  await queryRunner.query(`CREATE TABLE "delivery"."activities" (
    "activity_id" character varying NOT NULL,
    "actor_id" character varying NOT NULL,
    "activity_type" character varying NOT NULL,
    "body" jsonb NOT NULL,
    "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    CONSTRAINT "activities_pkey" PRIMARY KEY ("activity_id")
  )`);
  await queryRunner.query(`CREATE TABLE "delivery"."followers" (
    "local_actor_id" character varying NOT NULL,
    "follower_id" character varying NOT NULL,
    "inbox" character varying NOT NULL,
    "shared_inbox" character varying,
    "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    CONSTRAINT "followers_pkey" PRIMARY KEY ("local_actor_id", "follower_id")
  )`);
  await queryRunner.query(`CREATE INDEX "followers_inbox_idx" ON "delivery"."followers" ("inbox")`);
  await queryRunner.query(`CREATE TABLE "delivery"."delivery_records" (
    "activity_id" character varying NOT NULL,
    "inbox" character varying NOT NULL,
    "host" character varying NOT NULL,
    "activity_type" character varying NOT NULL,
    "state" character varying NOT NULL,
    "attempts" integer NOT NULL,
    "last_status" integer,
    "last_error" character varying,
    "history" jsonb NOT NULL,
    "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT "delivery_records_pkey" PRIMARY KEY ("activity_id", "inbox"),
    CONSTRAINT "delivery_records_state_check" CHECK ("state" IN ('delivered', 'dead'))
  )`);
  await queryRunner.query(`CREATE TABLE "delivery"."dead_letters" (
    "id" uuid NOT NULL,
    "activity_id" character varying NOT NULL,
    "activity_type" character varying NOT NULL,
    "actor_id" character varying NOT NULL,
    "inbox" character varying NOT NULL,
    "host" character varying NOT NULL,
    "priority" character varying NOT NULL,
    "reason" character varying NOT NULL,
    "last_error" character varying NOT NULL,
    "last_status" integer,
    "attempts" integer NOT NULL,
    "history" jsonb NOT NULL,
    "task" jsonb NOT NULL,
    "dead_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dead_letters_priority_check" CHECK ("priority" IN ('critical', 'high', 'medium', 'low'))
  )`);
  await queryRunner.query(`CREATE INDEX "dead_letters_host_idx" ON "delivery"."dead_letters" ("host", "dead_at")`);
  await queryRunner.query(`CREATE INDEX "dead_letters_activity_idx" ON "delivery"."dead_letters" ("activity_id")`);
  }

export async function dropDeliveryTables(queryRunner: Runner): Promise<void> {
  for (const table of ['dead_letters', 'delivery_records', 'followers', 'activities']) {
    await queryRunner.query(`DROP TABLE "delivery"."${table}"`);
  }
}
