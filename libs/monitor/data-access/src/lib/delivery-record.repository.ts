import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DeliveryRecordEntity } from './entities/delivery-record.entity';

export interface TaskMetricsRow {
  readonly activityType: string;
  readonly outcome: string;
  readonly count: number;
  readonly avgLatencyMs: number | null;
  readonly maxAttempt: number;
}

/** Delivery attempts as reported by delivery: written by the outcome consumer, expired by lifecycle. */
@Injectable()
export class DeliveryRecordRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One statement for the whole batch; a message id already recorded is skipped. */
  async insertMany(manager: EntityManager, records: readonly DeliveryRecordEntity[]): Promise<void> {
    if (records.length === 0) return;
    await manager.getRepository(DeliveryRecordEntity).createQueryBuilder().insert().values([...records]).orIgnore().execute();
  }

  /** Counts per activity type and outcome since `since` (the admin "tasks" view). */
  async metricsSince(since: number): Promise<TaskMetricsRow[]> {
    const rows: { activityType: string; outcome: string; count: string; avgLatencyMs: string | null; maxAttempt: string }[] = await this.dataSource
      .getRepository(DeliveryRecordEntity)
      .createQueryBuilder('r')
      .select('r.activity_type', 'activityType')
      .addSelect('r.outcome', 'outcome')
      .addSelect('COUNT(*)', 'count')
      .addSelect('AVG(r.latency_ms)', 'avgLatencyMs')
      .addSelect('MAX(r.attempt)', 'maxAttempt')
      .where('r.at >= :since', { since: new Date(since) })
      .groupBy('r.activity_type')
      .addGroupBy('r.outcome')
      .orderBy('r.activity_type')
      .addOrderBy('r.outcome')
      .getRawMany();
    return rows.map((row) => ({
      activityType: row.activityType,
      outcome: row.outcome,
      count: Number(row.count),
      avgLatencyMs: row.avgLatencyMs === null ? null : Math.round(Number(row.avgLatencyMs)),
      maxAttempt: Number(row.maxAttempt),
    }));
  }

  /** Retryable outcomes since `since` by activity type and attempt (each one scheduled a retry). */
  async retriesSince(since: number): Promise<Array<{ activityType: string; attempt: number; count: number }>> {
    const rows: { activityType: string; attempt: number; count: string }[] = await this.dataSource
      .getRepository(DeliveryRecordEntity)
      .createQueryBuilder('r')
      .select('r.activity_type', 'activityType')
      .addSelect('r.attempt', 'attempt')
      .addSelect('COUNT(*)', 'count')
      .where('r.at >= :since', { since: new Date(since) })
      .andWhere(`r.outcome = 'retryable'`)
      .groupBy('r.activity_type')
      .addGroupBy('r.attempt')
      .orderBy('r.activity_type')
      .addOrderBy('r.attempt')
      .getRawMany();
    return rows.map((row) => ({ activityType: row.activityType, attempt: Number(row.attempt), count: Number(row.count) }));
  }

  /** Deletes records older than `before` in bounded batches; returns how many. */
  async expireBefore(before: number, batchSize = 5000, maxBatches = 100): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < maxBatches; i++) {
      const result: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM "delivery_records" WHERE ctid IN (SELECT ctid FROM "delivery_records" WHERE "at" < $1 LIMIT $2)`,
        [new Date(before), batchSize],
      );
      const count = result[1];
      deleted += count;
      if (count < batchSize) break;
    }
    return deleted;
  }
}
