import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type FindOptionsWhere, IsNull } from 'typeorm';
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

  /**
   * Tombstones the object if `author` wrote it. Returns the local actor it belonged to (null: none)
   * when a live object was deleted, undefined otherwise.
   */
  async tombstone(objectId: string, author: string, manager: EntityManager, at = new Date()): Promise<{ localActorId: string | null } | undefined> {
    const [row] = await this.tombstoneWhere({ objectId, attributedTo: author }, manager, at);
    return row && { localActorId: row.local_actor_id };
  }

  /** Tombstones everything an actor wrote (the actor deleted itself); returns the ids. */
  async tombstoneAllBy(author: string, manager: EntityManager, at = new Date()): Promise<string[]> {
    const rows = await this.tombstoneWhere({ attributedTo: author }, manager, at);
    return rows.map((row) => row.object_id);
  }

  /** Clears the live objects matching `where` down to a tombstone; returns what each was. */
  private async tombstoneWhere(where: FindOptionsWhere<StoredObjectEntity>, manager: EntityManager, at: Date): Promise<Array<{ object_id: string; local_actor_id: string | null }>> {
    const result = await manager
      .createQueryBuilder()
      .update(StoredObjectEntity)
      .set({ deletedAt: at, content: null, name: null, document: {} })
      .where({ ...where, deletedAt: IsNull() })
      .returning(['objectId', 'localActorId'])
      .execute();
    return result.raw as Array<{ object_id: string; local_actor_id: string | null }>;
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
