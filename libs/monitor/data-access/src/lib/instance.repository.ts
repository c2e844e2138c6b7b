import { Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { CircuitTransitionEntity } from './entities/circuit-transition.entity';
import { DeliveryRecordEntity } from './entities/delivery-record.entity';
import { InstanceEntity } from './entities/instance.entity';

export const INSTANCE_SORT_FIELDS = ['host', 'status', 'failureRate', 'consecutiveFailures', 'lastFailureAt', 'updatedAt'] as const;
export type InstanceSortField = (typeof INSTANCE_SORT_FIELDS)[number];

export interface InstanceQuery {
  readonly status?: string;
  /** Substring of the host name. */
  readonly host?: string;
  readonly minFailureRate?: number;
  readonly unavailable?: boolean;
  readonly sort: InstanceSortField;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly offset: number;
}

const SORT_COLUMNS: Readonly<Record<InstanceSortField, string>> = {
  host: 'i.host',
  status: 'i.status',
  failureRate: 'i.failure_rate',
  consecutiveFailures: 'i.consecutive_failures',
  lastFailureAt: 'i.last_failure_at',
  updatedAt: 'i.updated_at',
};

/** Read side of the instances: admin lists, details, and what the recovery timer must look at. */
@Injectable()
export class InstanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: InstanceQuery): Promise<{ items: InstanceEntity[]; total: number }> {
    const qb = this.dataSource.getRepository(InstanceEntity).createQueryBuilder('i');
    if (query.status !== undefined) qb.andWhere('i.status = :status', { status: query.status });
    if (query.host !== undefined) qb.andWhere(`i.host LIKE :host ESCAPE '\\'`, { host: `%${query.host.replace(/[\\%_]/g, '\\$&')}%` });
    if (query.minFailureRate !== undefined) qb.andWhere('i.failure_rate >= :rate', { rate: query.minFailureRate });
    if (query.unavailable !== undefined) qb.andWhere('i.unavailable = :unavailable', { unavailable: query.unavailable });
    // Host as the tie-breaker keeps pages stable.
    qb.orderBy(SORT_COLUMNS[query.sort], query.order === 'asc' ? 'ASC' : 'DESC', query.order === 'asc' ? 'NULLS FIRST' : 'NULLS LAST')
      .addOrderBy('i.host', 'ASC')
      .take(query.limit)
      .skip(query.offset);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  find(host: string): Promise<InstanceEntity | null> {
    return this.dataSource.getRepository(InstanceEntity).findOneBy({ host: host.trim().toLowerCase() });
  }

  recentTransitions(host: string, limit: number): Promise<CircuitTransitionEntity[]> {
    return this.dataSource.getRepository(CircuitTransitionEntity).find({ where: { host }, order: { id: 'DESC' }, take: limit });
  }

  recentRecords(host: string, limit: number): Promise<DeliveryRecordEntity[]> {
    return this.dataSource.getRepository(DeliveryRecordEntity).find({ where: { host }, order: { at: 'DESC' }, take: limit });
  }

  /** Open circuits whose recovery timeout has passed (they must turn half-open). */
  async dueForRecovery(now: number, limit: number): Promise<string[]> {
    const rows = await this.dataSource.getRepository(InstanceEntity).find({
      select: { host: true },
      where: { status: 'open', openUntil: LessThanOrEqual(new Date(now)) },
      order: { openUntil: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.host);
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows: { status: string; count: string }[] = await this.dataSource
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .select('i.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('i.status')
      .getRawMany();
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }

  async countUnavailable(): Promise<number> {
    return this.dataSource.getRepository(InstanceEntity).countBy({ unavailable: true });
  }
}
