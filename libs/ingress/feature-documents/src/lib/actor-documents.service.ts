import { Injectable, NotFoundException } from '@nestjs/common';
import {
  ACTOR_DOCUMENT_TTL_SECONDS,
  ActorUrls,
  CACHE_KEYS,
  FOLLOWER_COUNT_TTL_SECONDS,
  FollowerRepository,
  FollowingRepository,
  type LocalActorEntity,
  type LocalActorKind,
  LocalActorRepository,
  ObjectRepository,
  OUTBOX_PAGE_TTL_SECONDS,
  RedisJsonCache,
} from '@peerfed/ingress/data-access';
import { AS_CONTEXT } from '@peerfed/shared/activitypub';
import { ActorDocumentBuilder } from './actor-document.builder';
import { orderedCollection, orderedCollectionPage, PAGE_SIZE } from './ordered-collection.util';

/** Actor documents and their collections, with the caches of SPEC §3 (actor 1 h, outbox pages 15 min, follower counts). */
@Injectable()
export class ActorDocumentsService {
  constructor(
    private readonly actors: LocalActorRepository,
    private readonly followers: FollowerRepository,
    private readonly following: FollowingRepository,
    private readonly objects: ObjectRepository,
    private readonly builder: ActorDocumentBuilder,
    private readonly cache: RedisJsonCache,
    private readonly urls: ActorUrls,
  ) {}

  /** The local actor, or 404. */
  async find(kind: LocalActorKind, username: string): Promise<LocalActorEntity> {
    const actor = /^[a-z0-9_]{1,64}$/.test(username) ? await this.actors.findByRef(kind, username) : null;
    if (!actor) throw new NotFoundException(`no ${kind === 'user' ? 'user' : 'challenge'} named ${username}`);
    return actor;
  }

  async document(actor: LocalActorEntity): Promise<Record<string, unknown>> {
    const id = this.urls.actor(actor);
    const document = await this.cache.getOrLoad(CACHE_KEYS.actorDocument(id), ACTOR_DOCUMENT_TTL_SECONDS, () => this.builder.build(actor));
    return document ?? this.builder.build(actor);
  }

  async followersCollection(actor: LocalActorEntity, page: number | undefined): Promise<Record<string, unknown>> {
    const id = this.urls.followers(this.urls.actor(actor));
    const total = await this.followerCount(actor);
    if (page === undefined) return orderedCollection(id, total);
    const rows = await this.followers.page(actor.id, (page - 1) * PAGE_SIZE, PAGE_SIZE);
    return orderedCollectionPage(id, page, total, rows.map((row) => row.followerId));
  }

  async followingCollection(actor: LocalActorEntity, page: number | undefined): Promise<Record<string, unknown>> {
    const id = this.urls.following(this.urls.actor(actor));
    const total = await this.following.count(actor.id);
    if (page === undefined) return orderedCollection(id, total);
    const rows = await this.following.page(actor.id, (page - 1) * PAGE_SIZE, PAGE_SIZE);
    return orderedCollectionPage(id, page, total, rows.map((row) => row.remoteActorId));
  }

  async outboxCollection(actor: LocalActorEntity, page: number | undefined): Promise<Record<string, unknown>> {
    const actorId = this.urls.actor(actor);
    const id = this.urls.outbox(actorId);
    const load = async (): Promise<Record<string, unknown>> => {
      const total = await this.objects.countLocal(actor.id);
      if (page === undefined) return orderedCollection(id, total);
      const rows = await this.objects.pageLocal(actor.id, (page - 1) * PAGE_SIZE, PAGE_SIZE);
      const items = rows.map((row) => ({
        id: `${row.objectId}/activity`,
        type: 'Create',
        actor: actorId,
        published: row.publishedAt.toISOString(),
        object: row.document,
      }));
      return orderedCollectionPage(id, page, total, items);
    };
    const document = await this.cache.getOrLoad(CACHE_KEYS.outboxPage(actorId, page ?? 0), OUTBOX_PAGE_TTL_SECONDS, load);
    return document ?? load();
  }

  /** Lemmy reads a Group's moderators here; challenge moderation is not federated yet, so it is empty. */
  moderators(actor: LocalActorEntity): Record<string, unknown> {
    return { '@context': AS_CONTEXT, id: this.urls.moderators(this.urls.actor(actor)), type: 'OrderedCollection', totalItems: 0, orderedItems: [] };
  }

  private async followerCount(actor: LocalActorEntity): Promise<number> {
    const count = await this.cache.getOrLoad(CACHE_KEYS.followerCount(actor.id), FOLLOWER_COUNT_TTL_SECONDS, () => this.followers.count(actor.id));
    return count ?? 0;
  }
}
