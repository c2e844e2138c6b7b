import { quoteSchema } from '@peerfed/platform/database';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Instances (health + circuit per host), circuit history, the admin audit log (append-only by
 * trigger), delivery records and archived dead letters. Never edit a migration that has landed.
 */
export class CreateMonitorTables1795500000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteSchema('monitor');
    const statements = [
      `CREATE TABLE ${s}."instances" ("host" character varying(261) NOT NULL, "status" character varying(16) NOT NULL, "circuit" jsonb NOT NULL, "health" jsonb NOT NULL, "availability" jsonb NOT NULL, "failure_rate" double precision, "attempts_1h" integer NOT NULL DEFAULT '0', "consecutive_failures" integer NOT NULL DEFAULT '0', "open_until" TIMESTAMP WITH TIME ZONE, "last_success_at" TIMESTAMP WITH TIME ZONE, "last_failure_at" TIMESTAMP WITH TIME ZONE, "unavailable" boolean NOT NULL DEFAULT false, "unavailable_since" TIMESTAMP WITH TIME ZONE, "blocked" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "instances_status_check" CHECK ("status" IN ('closed', 'open', 'half-open', 'blocked')), CONSTRAINT "instances_pkey" PRIMARY KEY ("host"))`,
      `CREATE INDEX "instances_open_until_idx" ON ${s}."instances" ("open_until")`,
      `CREATE INDEX "instances_failure_rate_idx" ON ${s}."instances" ("failure_rate")`,
      `CREATE INDEX "instances_status_idx" ON ${s}."instances" ("status")`,
      `CREATE TABLE ${s}."circuit_transitions" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "host" character varying(261) NOT NULL, "from_status" character varying(16) NOT NULL, "to_status" character varying(16) NOT NULL, "reason" character varying(32) NOT NULL, "actor" character varying(128), "note" text, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "circuit_transitions_pkey" PRIMARY KEY ("id"))`,
      `CREATE INDEX "circuit_transitions_host_at_idx" ON ${s}."circuit_transitions" ("host", "at")`,
      `CREATE TABLE ${s}."admin_audit" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "actor" character varying(128) NOT NULL, "action" character varying(64) NOT NULL, "target" character varying(512) NOT NULL, "reason" text NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "admin_audit_pkey" PRIMARY KEY ("id"))`,
      `CREATE INDEX "admin_audit_at_idx" ON ${s}."admin_audit" ("at")`,
      // The audit trail is append-only: no code path can rewrite who did what.
      `CREATE FUNCTION ${s}."admin_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'admin_audit is append-only'; END $$`,
      `CREATE TRIGGER "admin_audit_no_update_delete" BEFORE UPDATE OR DELETE ON ${s}."admin_audit" FOR EACH ROW EXECUTE FUNCTION ${s}."admin_audit_append_only"()`,
      `CREATE TABLE ${s}."delivery_records" ("message_id" uuid NOT NULL, "host" character varying(261) NOT NULL, "inbox_url" text NOT NULL, "activity_type" character varying(64) NOT NULL, "status_code" integer, "latency_ms" integer NOT NULL, "attempt" integer NOT NULL, "outcome" character varying(16) NOT NULL, "error_class" character varying(64), "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "delivery_records_pkey" PRIMARY KEY ("message_id"))`,
      `CREATE INDEX "delivery_records_at_idx" ON ${s}."delivery_records" ("at")`,
      `CREATE INDEX "delivery_records_host_at_idx" ON ${s}."delivery_records" ("host", "at")`,
      `CREATE TABLE ${s}."archived_dead_letters" ("stream" character varying(256) NOT NULL, "entry_id" character varying(64) NOT NULL, "group_name" character varying(128) NOT NULL, "priority" character varying(16) NOT NULL, "reason" character varying(64) NOT NULL, "error" text NOT NULL, "deliveries" integer NOT NULL, "dead_at" TIMESTAMP WITH TIME ZONE, "message_type" character varying(128), "envelope" text NOT NULL, "archived_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "archived_dead_letters_pkey" PRIMARY KEY ("stream", "entry_id"))`,
      `CREATE INDEX "archived_dead_letters_dead_at_idx" ON ${s}."archived_dead_letters" ("dead_at")`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteSchema('monitor');
    for (const table of ['archived_dead_letters', 'delivery_records', 'admin_audit', 'circuit_transitions', 'instances']) {
      await queryRunner.query(`DROP TABLE ${s}."${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION ${s}."admin_audit_append_only"()`);
  }
}
