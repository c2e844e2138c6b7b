import { Injectable } from '@nestjs/common';
import { ActorUrls, InstanceActorService, type LocalActorEntity, LocalActorService } from '@peerfed/ingress/data-access';
import { AS_CONTEXT, SECURITY_CONTEXT } from '@peerfed/shared/activitypub';

/** Lemmy's extension terms, so Lemmy reads a Group's posting rules; harmless for everyone else. */
const EXTENSION_CONTEXT = {
  lemmy: 'https://join-lemmy.org/ns#',
  postingRestrictedToMods: 'lemmy:postingRestrictedToMods',
  sensitive: 'as:sensitive',
  manuallyApprovesFollowers: 'as:manuallyApprovesFollowers',
  discoverable: 'http://joinmastodon.org/ns#discoverable',
};

/**
 * Actor documents: Person for users, Group for challenges (Lemmy-compatible: `attributedTo` is
 * the moderators collection, `endpoints.sharedInbox`, `publicKey` with `#main-key`), and the
 * instance's Application actor.
 */
@Injectable()
export class ActorDocumentBuilder {
  constructor(
    private readonly urls: ActorUrls,
    private readonly localActors: LocalActorService,
    private readonly instanceActor: InstanceActorService,
  ) {}

  async build(actor: LocalActorEntity): Promise<Record<string, unknown>> {
    const id = this.urls.actor(actor);
    const key = await this.localActors.publicKey(actor);
    const group = actor.kind === 'challenge';
    return {
      '@context': [AS_CONTEXT, SECURITY_CONTEXT, EXTENSION_CONTEXT],
      id,
      type: group ? 'Group' : 'Person',
      preferredUsername: actor.username,
      name: actor.name,
      summary: actor.summary,
      url: id,
      inbox: this.urls.inbox(id),
      outbox: this.urls.outbox(id),
      followers: this.urls.followers(id),
      following: this.urls.following(id),
      endpoints: { sharedInbox: this.urls.sharedInbox },
      publicKey: { id: key.keyId, owner: id, publicKeyPem: key.publicKeyPem },
      published: actor.createdAt.toISOString(),
      manuallyApprovesFollowers: false,
      discoverable: true,
      ...(group && {
        attributedTo: this.urls.moderators(id),
        postingRestrictedToMods: false,
        sensitive: false,
      }),
    };
  }

  /** The Application actor whose key signs our fetches. */
  instance(): Record<string, unknown> {
    const id = this.instanceActor.actorId;
    const key = this.instanceActor.publicKey();
    return {
      '@context': [AS_CONTEXT, SECURITY_CONTEXT],
      id,
      type: 'Application',
      preferredUsername: this.urls.host,
      name: this.urls.host,
      inbox: this.urls.inbox(id),
      outbox: this.urls.outbox(id),
      endpoints: { sharedInbox: this.urls.sharedInbox },
      publicKey: { id: key.keyId, owner: id, publicKeyPem: key.publicKeyPem },
      manuallyApprovesFollowers: true,
    };
  }
}
