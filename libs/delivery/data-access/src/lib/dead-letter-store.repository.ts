import { randomUUID } from 'node:crypto';
import { type DeliveryTaskPayload, type Priority } from '@peerfed/shared/contracts';
import { type DataSource } from 'typeorm';
import { type AttemptRecord } from './delivery-status.types';

export interface NewDeadLetter {
  task: DeliveryTaskPayload;
  host: string;
  priority: Priority;
  /** permanent (4xx), max-attempts, max-duration, retry-after-beyond-deadline, missing-key ... */
  reason: string;
  lastError: string;
  lastStatus?: number;
  history: AttemptRecord[];
  deadAt: number;
}

export interface DeadLetterRecord extends NewDeadLetter {
  id: string;
}

/** Which dead letters a replay or purge applies to; every given field must match. */
export interface DeadLetterFilter {
  ids?: string[];
  host?: string;
  activityId?: string;
  activityType?: string;
  reason?: string;
  /** Explicitly everything (refused unless set when no other field is). */
  all?: boolean;
  limit?: number;
}

interface Row {
  id: string;
  host: string;
  priority: Priority;
  reason: string;
  last_error: string;
  last_status: number | null;
  history: AttemptRecord[];
  task: DeliveryTaskPayload;
  dead_at: Date;
}

const MAX_SELECTION = 10_000;

/** Deliveries given up on, with their last error and attempt history, for replay or purge. */
export class DeadLetterStoreRepository {
  constructor(private readonly dataSource: DataSource) {}

  async add(letter: NewDeadLetter): Promise<string> {
    const id = randomUUID();
    await this.dataSource.query(
      `INSERT INTO "delivery"."dead_letters" ("id", "activity_id", "activity_type", "actor_id", "inbox", "host", "priority", "reason",
         "last_error", "last_status", "attempts", "history", "task", "dead_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, to_timestamp($14 / 1000.0))`,
      [
        id,
        letter.task.activityId,
        letter.task.activityType,
        letter.task.actorId,
        letter.task.inbox,
        letter.host,
        letter.priority,
        letter.reason,
        letter.lastError.slice(0, 2000),
        letter.lastStatus ?? null,
        letter.history.length,
        JSON.stringify(letter.history),
        JSON.stringify(letter.task),
        letter.deadAt,
      ],
    );
    return id;
  }

  async find(filter: DeadLetterFilter): Promise<DeadLetterRecord[]> {
    const { where, params } = toWhere(filter);
    const limit = Math.min(filter.limit ?? MAX_SELECTION, MAX_SELECTION);
    const rows: Row[] = await this.dataSource.query(
      `SELECT "id", "host", "priority", "reason", "last_error", "last_status", "history", "task", "dead_at"
       FROM "delivery"."dead_letters" WHERE ${where} ORDER BY "dead_at", "id" LIMIT ${limit}`,
      params,
    );
    return rows.map((row) => ({
      id: row.id,
      host: row.host,
      priority: row.priority,
      reason: row.reason,
      lastError: row.last_error,
      ...(row.last_status === null ? {} : { lastStatus: row.last_status }),
      history: row.history,
      task: row.task,
      deadAt: row.dead_at.getTime(),
    }));
  }

  /** Deletes the given dead letters; returns the ids actually deleted (a concurrent replay may have won). */
  async remove(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string }> = await this.dataSource.query(
      // A SELECT over the DELETE: TypeORM returns [rows, count] for a bare DELETE ... RETURNING.
      `WITH gone AS (DELETE FROM "delivery"."dead_letters" WHERE "id" = ANY($1::uuid[]) RETURNING "id") SELECT "id" FROM gone`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  async count(): Promise<number> {
    const rows: Array<{ n: string }> = await this.dataSource.query(`SELECT count(*) AS n FROM "delivery"."dead_letters"`);
    return Number(rows[0]?.n ?? 0);
  }
}

function toWhere(filter: DeadLetterFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.ids !== undefined) add(`"id" = ANY(?::uuid[])`, filter.ids);
  if (filter.host !== undefined) add(`"host" = ?`, filter.host);
  if (filter.activityId !== undefined) add(`"activity_id" = ?`, filter.activityId);
  if (filter.activityType !== undefined) add(`"activity_type" = ?`, filter.activityType);
  if (filter.reason !== undefined) add(`"reason" = ?`, filter.reason);
  if (clauses.length === 0 && filter.all !== true) throw new Error('dead-letter selection: give a filter or all: true');
  return { where: clauses.length === 0 ? 'TRUE' : clauses.join(' AND '), params };
}
