import { Injectable } from '@nestjs/common';
import { type DeadLetter } from '@peerfed/platform/streams';
import { DataSource } from 'typeorm';
import { ArchivedDeadLetterEntity } from './entities/archived-dead-letter.entity';

/** Dead letters copied to Postgres by the lifecycle job before Redis forgets them. */
@Injectable()
export class DeadLetterArchiveRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Idempotent: archiving the same entry twice keeps one row. */
  async archive(deadLetters: readonly DeadLetter[], now: number): Promise<number> {
    if (deadLetters.length === 0) return 0;
    const rows = deadLetters.map((d) => ({
      stream: d.stream,
      entryId: d.id,
      groupName: d.group.slice(0, 128),
      priority: d.priority,
      reason: String(d.reason).slice(0, 64),
      error: d.error,
      deliveries: d.deliveries,
      deadAt: Number.isNaN(Date.parse(d.deadAt)) ? null : new Date(d.deadAt),
      messageType: d.envelope && typeof d.envelope.type === 'string' ? d.envelope.type.slice(0, 128) : null,
      envelope: d.rawEnvelope,
      archivedAt: new Date(now),
    }));
    await this.dataSource.getRepository(ArchivedDeadLetterEntity).createQueryBuilder().insert().values(rows).orIgnore().execute();
    return rows.length;
  }

  async list(options: { stream?: string; limit: number; offset: number }): Promise<{ items: ArchivedDeadLetterEntity[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(ArchivedDeadLetterEntity).findAndCount({
      where: options.stream === undefined ? {} : { stream: options.stream },
      order: { archivedAt: 'DESC', entryId: 'DESC' },
      take: options.limit,
      skip: options.offset,
    });
    return { items, total };
  }
}
