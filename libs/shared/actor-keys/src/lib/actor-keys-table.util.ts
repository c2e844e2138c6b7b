import { type QueryRunner } from 'typeorm';

/**
 * Key material of local actors. The table lives in the ingress schema (ingress creates actors);
 * delivery reads it to sign. It is the one table two services share, because a private key may
 * travel neither in a stream message nor through Redis.
 */
export const ACTOR_KEYS_TABLE = '"ingress"."actor_keys"';

/** Called by an ingress migration. */
export async function createActorKeysTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(
    `CREATE TABLE ${ACTOR_KEYS_TABLE} (
      "actor_id" character varying(2048) NOT NULL,
      "key_id" character varying(2048) NOT NULL,
      "public_key_pem" text NOT NULL,
      "private_key_sealed" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "actor_keys_pkey" PRIMARY KEY ("actor_id"),
      CONSTRAINT "actor_keys_key_id_key" UNIQUE ("key_id")
    )`,
  );
}

export async function dropActorKeysTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TABLE ${ACTOR_KEYS_TABLE}`);
}
