import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ActorKeyStore, type ActorPublicKey, type ActorSigningKey } from '@peerfed/shared/actor-keys';
import { ActorUrls } from './actor-urls.util';

/**
 * The instance's own Application actor (/actor): it signs our fetches of remote documents, as
 * authorized-fetch servers (Mastodon secure mode, GoToSocial) require, and is served like any actor.
 */
@Injectable()
export class InstanceActorService implements OnModuleInit {
  private publicKeyValue: ActorPublicKey | undefined;

  constructor(
    private readonly keys: ActorKeyStore,
    private readonly urls: ActorUrls,
  ) {}

  async onModuleInit(): Promise<void> {
    const actorId = this.urls.instanceActor;
    this.publicKeyValue = await this.keys.ensureKeyPair(actorId, this.urls.keyId(actorId));
  }

  get actorId(): string {
    return this.urls.instanceActor;
  }

  publicKey(): ActorPublicKey {
    if (!this.publicKeyValue) throw new Error('the instance actor is not initialised yet');
    return this.publicKeyValue;
  }

  async signingKey(): Promise<ActorSigningKey> {
    const key = await this.keys.signingKeyOf(this.urls.instanceActor);
    if (!key) throw new Error('the instance actor has no key');
    return key;
  }
}
