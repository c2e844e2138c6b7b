import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RemoteActorEntity } from './remote-actor.entity';

/** What we keep of a remote actor (see RemoteActorEntity). */
export type RemoteActorRecord = Omit<RemoteActorEntity, 'gone'>;

@Injectable()
export class RemoteActorRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(actorId: string, manager: EntityManager = this.dataSource.manager): Promise<RemoteActorEntity | null> {
    return manager.getRepository(RemoteActorEntity).findOneBy({ actorId });
  }

  findByKeyId(keyId: string): Promise<RemoteActorEntity | null> {
    return this.dataSource.getRepository(RemoteActorEntity).findOneBy({ keyId, gone: false });
  }

  /** The live actors whose personal inbox this is (a shared inbox matches none). */
  async idsByInbox(inbox: string, manager: EntityManager): Promise<string[]> {
    const rows = await manager.getRepository(RemoteActorEntity).find({ select: { actorId: true }, where: { inbox, gone: false } });
    return rows.map((row) => row.actorId);
  }

  /** Inserts or refreshes the actor (a rotated key replaces the old one). */
  async upsert(actor: RemoteActorRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(RemoteActorEntity).upsert({ ...actor, gone: false }, ['actorId']);
  }

  /** Keeps a tombstone row so the actor is not fetched again. */
  async markGone(actorId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(RemoteActorEntity).update({ actorId }, { gone: true, publicKeyPem: '', fetchedAt: new Date() });
  }
}
