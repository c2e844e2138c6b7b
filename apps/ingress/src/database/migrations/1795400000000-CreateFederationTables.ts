import { createActorKeysTable, dropActorKeysTable } from '@peerfed/shared/actor-keys';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Local and remote actors, keys, followers, objects, votes and the inbound activity log. Never edit after it lands. */
export class CreateFederationTables1795400000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ingress"."local_actors" ("id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "username" character varying(64) NOT NULL, "name" character varying(256) NOT NULL, "summary" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "local_actors_username_key" UNIQUE ("username"), CONSTRAINT "local_actors_username_check" CHECK ("username" ~ '^[a-z0-9_]{1,64}$'), CONSTRAINT "local_actors_kind_check" CHECK ("kind" IN ('user', 'challenge')), CONSTRAINT "local_actors_pkey" PRIMARY KEY ("id"))`,
    );
    await createActorKeysTable(queryRunner);
    await queryRunner.query(
      `CREATE TABLE "ingress"."remote_actors" ("actor_id" character varying(2048) NOT NULL, "domain" character varying(255) NOT NULL, "type" character varying(32) NOT NULL, "inbox" character varying(2048) NOT NULL, "shared_inbox" character varying(2048), "key_id" character varying(2048) NOT NULL, "public_key_pem" text NOT NULL, "fetched_at" TIMESTAMP WITH TIME ZONE NOT NULL, "gone" boolean NOT NULL DEFAULT false, CONSTRAINT "remote_actors_pkey" PRIMARY KEY ("actor_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "remote_actors_domain_idx" ON "ingress"."remote_actors" ("domain")`);
    await queryRunner.query(`CREATE INDEX "remote_actors_key_id_idx" ON "ingress"."remote_actors" ("key_id")`);
    await queryRunner.query(
      `CREATE TABLE "ingress"."followers" ("local_actor_id" uuid NOT NULL, "follower_id" character varying(2048) NOT NULL, "inbox" character varying(2048) NOT NULL, "shared_inbox" character varying(2048), "state" character varying(16) NOT NULL, "follow_activity_id" character varying(2048) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "followers_state_check" CHECK ("state" IN ('pending', 'accepted')), CONSTRAINT "followers_pkey" PRIMARY KEY ("local_actor_id", "follower_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "followers_follower_id_idx" ON "ingress"."followers" ("follower_id")`);
    await queryRunner.query(
      `CREATE TABLE "ingress"."following" ("follow_activity_id" character varying(2048) NOT NULL, "local_actor_id" uuid NOT NULL, "remote_actor_id" character varying(2048) NOT NULL, "state" character varying(16) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "following_state_check" CHECK ("state" IN ('pending', 'accepted', 'rejected')), CONSTRAINT "following_pkey" PRIMARY KEY ("follow_activity_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ingress"."objects" ("object_id" character varying(2048) NOT NULL, "local" boolean NOT NULL, "type" character varying(32) NOT NULL, "attributed_to" character varying(2048) NOT NULL, "local_actor_id" uuid, "in_reply_to" character varying(2048), "name" text, "content" text, "document" jsonb NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, "stored_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "objects_pkey" PRIMARY KEY ("object_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "objects_in_reply_to_idx" ON "ingress"."objects" ("in_reply_to")`);
    await queryRunner.query(`CREATE INDEX "objects_local_actor_id_idx" ON "ingress"."objects" ("local_actor_id", "published_at")`);
    await queryRunner.query(`CREATE INDEX "objects_attributed_to_idx" ON "ingress"."objects" ("attributed_to")`);
    await queryRunner.query(
      `CREATE TABLE "ingress"."votes" ("activity_id" character varying(2048) NOT NULL, "actor_id" character varying(2048) NOT NULL, "object_id" character varying(2048) NOT NULL, "kind" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "votes_actor_object_key" UNIQUE ("actor_id", "object_id"), CONSTRAINT "votes_kind_check" CHECK ("kind" IN ('like', 'dislike')), CONSTRAINT "votes_pkey" PRIMARY KEY ("activity_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "votes_object_id_idx" ON "ingress"."votes" ("object_id")`);
    await queryRunner.query(
      `CREATE TABLE "ingress"."inbound_activities" ("activity_id" character varying(2048) NOT NULL, "type" character varying(64) NOT NULL, "actor_id" character varying(2048) NOT NULL, "activity" jsonb NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "inbound_activities_pkey" PRIMARY KEY ("activity_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "inbound_activities_actor_id_idx" ON "ingress"."inbound_activities" ("actor_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['inbound_activities', 'votes', 'objects', 'following', 'followers', 'remote_actors']) {
      await queryRunner.query(`DROP TABLE "ingress"."${table}"`);
    }
    await dropActorKeysTable(queryRunner);
    await queryRunner.query(`DROP TABLE "ingress"."local_actors"`);
  }
}
