import { type FollowerEndpoint } from '@peerfed/delivery/domain';
import { type DataSource, type EntityManager } from 'typeorm';

export interface FollowerRow {
  localActorId: string;
  followerId: string;
  inbox: string;
  sharedInbox?: string;
}

/** Delivery's own projection of who follows each local actor, fed by ingress.followers.v1. */
export class FollowerProjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async add(row: FollowerRow, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO "delivery"."followers" ("local_actor_id", "follower_id", "inbox", "shared_inbox", "updated_at")
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT ("local_actor_id", "follower_id")
       DO UPDATE SET "inbox" = EXCLUDED."inbox", "shared_inbox" = EXCLUDED."shared_inbox", "updated_at" = now()`,
      [row.localActorId, row.followerId, row.inbox, row.sharedInbox ?? null],
    );
  }

  /** Bulk add (imports, tests, benchmarks): one statement for many rows. */
  async addMany(rows: readonly FollowerRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO "delivery"."followers" ("local_actor_id", "follower_id", "inbox", "shared_inbox")
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[])
       ON CONFLICT ("local_actor_id", "follower_id")
       DO UPDATE SET "inbox" = EXCLUDED."inbox", "shared_inbox" = EXCLUDED."shared_inbox", "updated_at" = now()`,
      [rows.map((r) => r.localActorId), rows.map((r) => r.followerId), rows.map((r) => r.inbox), rows.map((r) => r.sharedInbox ?? null)],
    );
  }

  async remove(localActorId: string, followerId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`DELETE FROM "delivery"."followers" WHERE "local_actor_id" = $1 AND "follower_id" = $2`, [localActorId, followerId]);
  }

  /** A 410 Gone at a personal inbox: that follower no longer exists anywhere. Returns rows removed. */
  async removeByInbox(inbox: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(`WITH gone AS (DELETE FROM "delivery"."followers" WHERE "inbox" = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`, [inbox]);
    return rows[0]?.n ?? 0;
  }

  async followersOf(localActorId: string, manager: EntityManager = this.dataSource.manager): Promise<FollowerEndpoint[]> {
    const rows: Array<{ follower_id: string; inbox: string; shared_inbox: string | null }> = await manager.query(
      `SELECT "follower_id", "inbox", "shared_inbox" FROM "delivery"."followers" WHERE "local_actor_id" = $1`,
      [localActorId],
    );
    return rows.map((row) => ({ actorId: row.follower_id, inbox: row.inbox, sharedInbox: row.shared_inbox }));
  }
}
