import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AdminAuditEntity } from './entities/admin-audit.entity';

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly reason: string;
  readonly details?: Record<string, unknown>;
  readonly at: number;
}

export interface AuditPage {
  readonly items: AdminAuditEntity[];
  readonly total: number;
}

/** The admin audit log: append in the same transaction as the action, read newest first. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.getRepository(AdminAuditEntity).insert({
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      reason: entry.reason,
      details: entry.details ?? {},
      at: new Date(entry.at),
    });
  }

  /** Outside any other transaction (e.g. for actions whose effect lives in Redis). */
  async appendNow(entry: AuditEntry): Promise<void> {
    await this.append(this.dataSource.manager, entry);
  }

  async list(options: { limit: number; offset: number; target?: string }): Promise<AuditPage> {
    const [items, total] = await this.dataSource.getRepository(AdminAuditEntity).findAndCount({
      where: options.target === undefined ? {} : { target: options.target },
      order: { id: 'DESC' },
      take: options.limit,
      skip: options.offset,
    });
    return { items, total };
  }
}
