import { Injectable } from '@nestjs/common';
import { ActorKeyStore, type ActorPublicKey } from '@peerfed/shared/actor-keys';
import { DataSource } from 'typeorm';
import { ActorUrls } from './actor-urls.util';
import { type LocalActorEntity } from './local-actor.entity';
import { LocalActorRepository, type NewLocalActor } from './local-actor.repository';

export interface LocalActorWithKey {
  readonly actor: LocalActorEntity;
  readonly actorId: string;
  readonly key: ActorPublicKey;
}

/** Creates local actors together with their key pair (one transaction: never an actor without a key). */
@Injectable()
export class LocalActorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly actors: LocalActorRepository,
    private readonly keys: ActorKeyStore,
    private readonly urls: ActorUrls,
  ) {}

  /** Idempotent: an existing username is returned as it is. */
  async ensure(actor: NewLocalActor): Promise<LocalActorWithKey> {
    return this.dataSource.transaction(async (manager) => {
      const stored = await this.actors.insertIfAbsent(actor, manager);
      const actorId = this.urls.actor(stored);
      const key = await this.keys.ensureKeyPair(actorId, this.urls.keyId(actorId), manager);
      return { actor: stored, actorId, key };
    });
  }

  /** The public key of a local actor (created on first use for actors that predate their key). */
  async publicKey(actor: LocalActorEntity): Promise<ActorPublicKey> {
    const actorId = this.urls.actor(actor);
    return this.keys.ensureKeyPair(actorId, this.urls.keyId(actorId));
  }
}
