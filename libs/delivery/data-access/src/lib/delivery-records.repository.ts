import { type DataSource } from 'typeorm';
import { type DeliveryStatus } from './delivery-status.types';

export interface DeliveryRecord extends DeliveryStatus {
  activityId: string;
  inbox: string;
}

/** Postgres archive of finished deliveries (delivered or dead), kept past the Redis status TTL. */
export class DeliveryRecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Upserts finished deliveries in one statement. */
  async archive(records: readonly DeliveryRecord[]): Promise<void> {
    const done = records.filter((r) => r.state === 'delivered' || r.state === 'dead');
    if (done.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO "delivery"."delivery_records"
         ("activity_id", "inbox", "host", "activity_type", "state", "attempts", "last_status", "last_error", "history", "updated_at")
       SELECT a, i, h, t, s, n, ls, le, hi::jsonb, to_timestamp(u / 1000.0)
       FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::int[], $7::int[], $8::varchar[], $9::text[], $10::float8[])
         AS x(a, i, h, t, s, n, ls, le, hi, u)
       ON CONFLICT ("activity_id", "inbox") DO UPDATE SET
         "state" = EXCLUDED."state", "attempts" = EXCLUDED."attempts", "last_status" = EXCLUDED."last_status",
         "last_error" = EXCLUDED."last_error", "history" = EXCLUDED."history", "updated_at" = EXCLUDED."updated_at"`,
      [
        done.map((r) => r.activityId),
        done.map((r) => r.inbox),
        done.map((r) => r.host),
        done.map((r) => r.activityType),
        done.map((r) => r.state),
        done.map((r) => r.attempts),
        done.map((r) => r.lastStatus ?? null),
        done.map((r) => (r.lastError ?? null)?.slice(0, 1000) ?? null),
        done.map((r) => JSON.stringify(r.history)),
        done.map((r) => r.updatedAt),
      ],
    );
  }

  async ofActivity(activityId: string): Promise<Array<{ inbox: string; state: string; attempts: number; lastStatus: number | null }>> {
    const rows: Array<{ inbox: string; state: string; attempts: number; last_status: number | null }> = await this.dataSource.query(
      `SELECT "inbox", "state", "attempts", "last_status" FROM "delivery"."delivery_records" WHERE "activity_id" = $1 ORDER BY "inbox"`,
      [activityId],
    );
    return rows.map((r) => ({ inbox: r.inbox, state: r.state, attempts: r.attempts, lastStatus: r.last_status }));
  }
}
