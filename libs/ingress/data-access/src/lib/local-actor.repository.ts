import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LocalActorEntity, type LocalActorKind } from './local-actor.entity';

export interface NewLocalActor {
  readonly kind: LocalActorKind;
  readonly username: string;
  readonly name: string;
  readonly summary?: string;
}

/** Local users and challenge Groups. */
@Injectable()
export class LocalActorRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByUsername(username: string, manager: EntityManager = this.dataSource.manager): Promise<LocalActorEntity | null> {
    return manager.getRepository(LocalActorEntity).findOneBy({ username });
  }

  async findByRef(kind: LocalActorKind, username: string): Promise<LocalActorEntity | null> {
    const actor = await this.findByUsername(username);
    return actor?.kind === kind ? actor : null;
  }

  findById(id: string): Promise<LocalActorEntity | null> {
    return this.dataSource.getRepository(LocalActorEntity).findOneBy({ id });
  }

  count(kind?: LocalActorKind): Promise<number> {
    return this.dataSource.getRepository(LocalActorEntity).countBy(kind === undefined ? {} : { kind });
  }

  /** Inserts the actor unless its username is taken; returns the stored row either way. */
  async insertIfAbsent(actor: NewLocalActor, manager: EntityManager = this.dataSource.manager): Promise<LocalActorEntity> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(LocalActorEntity)
      .values({ id: randomUUID(), kind: actor.kind, username: actor.username, name: actor.name, summary: actor.summary ?? '' })
      .orIgnore()
      .execute();
    const stored = await this.findByUsername(actor.username, manager);
    if (!stored) throw new Error(`local actor ${actor.username} was not stored`);
    return stored;
  }
}
