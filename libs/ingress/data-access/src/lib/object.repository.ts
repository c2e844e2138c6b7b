import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { StoredObjectEntity } from './stored-object.entity';

export type ObjectRecord = Omit<StoredObjectEntity, 'storedAt' | 'deletedAt'>;

/** Local and remote posts and comments, tombstoned on delete. */
@Injectable()
export class ObjectRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(objectId: string, manager: EntityManager = this.dataSource.manager): Promise<StoredObjectEntity | null> {
    return manager.getRepository(StoredObjectEntity).findOneBy({ objectId });
  }

  /**
   * Stores a new object or updates it (only its author may: `refused` otherwise, nothing written);
   * a tombstoned object stays deleted (a Delete wins over a late Update).
   */
  async upsert(object: ObjectRecord, manager: EntityManager): Promise<'created' | 'updated' | 'deleted' | 'refused'> {
    const repository = manager.getRepository(StoredObjectEntity);
    const existing = await repository.findOneBy({ objectId: object.objectId });
    if (existing?.deletedAt) return 'deleted';
    const written = (await manager.query(
      `INSERT INTO "objects" ("object_id", "local", "type", "attributed_to", "local_actor_id", "in_reply_to", "name", "content", "document", "published_at", "updated_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT ("object_id") DO UPDATE SET "type" = EXCLUDED."type", "name" = EXCLUDED."name", "content" = EXCLUDED."content",
         "document" = EXCLUDED."document", "updated_at" = EXCLUDED."updated_at"
       WHERE "objects"."attributed_to" = EXCLUDED."attributed_to"
       RETURNING "object_id"`,
      [
        object.objectId,
        object.local,
        object.type,
        object.attributedTo,
        object.localActorId,
        object.inReplyTo,
        object.name,
        object.content,
        JSON.stringify(object.document),
        object.publishedAt,
        object.updatedAt,
      ],
    )) as unknown[];
    if (written.length === 0) return 'refused';
    return existing ? 'updated' : 'created';
  }

  /** Tombstones the object if `author` wrote it; true when a live object was deleted. */
  async tombstone(objectId: string, author: string, manager: EntityManager, at = new Date()): Promise<boolean> {
    const result = await manager
      .getRepository(StoredObjectEntity)
      .update({ objectId, attributedTo: author, deletedAt: IsNull() }, { deletedAt: at, content: null, name: null, document: {} });
    return (result.affected ?? 0) > 0;
  }

  /** Tombstones everything an actor wrote (the actor deleted itself); returns the ids. */
  async tombstoneAllBy(author: string, manager: EntityManager, at = new Date()): Promise<string[]> {
    const result = await manager
      .createQueryBuilder()
      .update(StoredObjectEntity)
      .set({ deletedAt: at, content: null, name: null, document: {} })
      .where({ attributedTo: author, deletedAt: IsNull() })
      .returning(['objectId'])
      .execute();
    const rows = result.raw as { object_id: string }[];
    return rows.map((row) => row.object_id);
  }

  /** Live local objects of a local actor, newest first (its outbox). */
  pageLocal(localActorId: string, offset: number, limit: number): Promise<StoredObjectEntity[]> {
    return this.dataSource.getRepository(StoredObjectEntity).find({
      where: { localActorId, local: true, deletedAt: IsNull() },
      order: { publishedAt: 'DESC', objectId: 'ASC' },
      skip: offset,
      take: limit,
    });
  }

  countLocal(localActorId?: string): Promise<number> {
    return this.dataSource
      .getRepository(StoredObjectEntity)
      .countBy({ local: true, deletedAt: IsNull(), ...(localActorId === undefined ? {} : { localActorId }) });
  }
}
