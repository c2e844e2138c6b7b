import { type DataSource, type EntityManager } from 'typeorm';

export interface StoredActivity {
  activityId: string;
  actorId: string;
  activityType: string;
  body: Record<string, unknown>;
  /** The serialized body, exactly the bytes POSTed (and digested) for every destination. */
  json: string;
}

interface ActivityRow {
  activity_id: string;
  actor_id: string;
  activity_type: string;
  body: Record<string, unknown>;
}

/**
 * Activities to deliver, stored once per publication (never per destination), with an in-memory
 * LRU of the serialized bodies: one activity fans out to many tasks, read by the same workers.
 * Concurrent reads of one activity share one query (a fan-out wakes hundreds of workers at once).
 */
export class ActivityStoreRepository {
  private readonly cache = new Map<string, StoredActivity>();
  private readonly loading = new Map<string, Promise<StoredActivity | undefined>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly maxCached = 1000,
  ) {}

  /** Stores the activity unless already stored (a republication keeps the first body). */
  async saveOnce(activity: Omit<StoredActivity, 'json'>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO "delivery"."activities" ("activity_id", "actor_id", "activity_type", "body") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("activity_id") DO NOTHING`,
      [activity.activityId, activity.actorId, activity.activityType, JSON.stringify(activity.body)],
    );
  }

  async find(activityId: string): Promise<StoredActivity | undefined> {
    const cached = this.cache.get(activityId);
    if (cached) {
      this.cache.delete(activityId);
      this.cache.set(activityId, cached);
      return cached;
    }
    let loading = this.loading.get(activityId);
    if (!loading) {
      loading = this.load(activityId).finally(() => this.loading.delete(activityId));
      this.loading.set(activityId, loading);
    }
    return loading;
  }

  private async load(activityId: string): Promise<StoredActivity | undefined> {
    const rows: ActivityRow[] = await this.dataSource.query(
      `SELECT "activity_id", "actor_id", "activity_type", "body" FROM "delivery"."activities" WHERE "activity_id" = $1`,
      [activityId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const stored = { activityId: row.activity_id, actorId: row.actor_id, activityType: row.activity_type, body: row.body, json: JSON.stringify(row.body) };
    if (this.cache.size >= this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(activityId, stored);
    return stored;
  }
}
