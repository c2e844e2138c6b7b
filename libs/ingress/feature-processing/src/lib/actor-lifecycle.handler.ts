import { Injectable } from '@nestjs/common';
import {
  ActorUrls,
  CACHE_KEYS,
  FollowerRepository,
  InboundActivityRepository,
  LocalActorRepository,
  ObjectRepository,
  RedisJsonCache,
  RemoteActorRepository,
  RemoteActorResolver,
  VoteRepository,
} from '@peerfed/ingress/data-access';
import { type EntityManager } from 'typeorm';
import { type ActivityContext, type ActivityEffect } from './activity-effect.types';
import { FederationEventsPublisher } from './federation-events.publisher';

/**
 * A remote actor that no longer exists. Delete of the sending actor itself: purge everything it
 * left here (with a removal event for each follow, post and vote), keep a `gone` marker. Its
 * inbox answering 410 Gone (delivery.gone.v1): only its follows go, with the marker.
 */
@Injectable()
export class ActorLifecycleHandler {
  constructor(
    private readonly urls: ActorUrls,
    private readonly actors: LocalActorRepository,
    private readonly remoteActors: RemoteActorRepository,
    private readonly followers: FollowerRepository,
    private readonly objects: ObjectRepository,
    private readonly votes: VoteRepository,
    private readonly inbound: InboundActivityRepository,
    private readonly resolver: RemoteActorResolver,
    private readonly events: FederationEventsPublisher,
    private readonly cache: RedisJsonCache,
  ) {}

  async purge({ activity, actorId, manager }: ActivityContext): Promise<ActivityEffect> {
    const { followers, afterCommit } = await this.forget(actorId, activity.id, manager);
    const tombstoned = await this.objects.tombstoneAllBy(actorId, manager);
    for (const objectId of tombstoned) await this.events.postChanged({ change: 'deleted', objectId, attributedTo: actorId }, activity.id);
    const votes = await this.votes.removeAllBy(actorId, manager);
    for (const vote of votes) {
      await this.events.voteChanged({ change: 'withdrawn', kind: vote.kind, actorId, objectId: vote.objectId, activityId: vote.activityId }, activity.id);
    }
    await this.inbound.removeAllBy(actorId, manager);
    return { outcome: `actor-purged:followers=${followers},objects=${tombstoned.length},votes=${votes.length}`, afterCommit };
  }

  /**
   * Removes the actor's follows of our actors (a removal event each, `cause` naming what told us)
   * and marks it gone; its cached documents and follower counts go once the transaction commits.
   */
  async forget(actorId: string, cause: string, manager: EntityManager): Promise<ActivityEffect & { followers: number }> {
    const stored = await this.remoteActors.find(actorId, manager);
    const removed = await this.followers.removeAllOf(actorId, manager);
    for (const row of removed) {
      const local = await this.actors.findById(row.localActorId);
      if (local) await this.events.followerChanged('removed', this.urls.actor(local), row, cause);
    }
    if (stored) await this.remoteActors.markGone(actorId, manager);
    return {
      outcome: `actor-gone:followers=${removed.length}`,
      followers: removed.length,
      afterCommit: async () => {
        if (stored) await this.resolver.forget(stored);
        await this.cache.delete(...removed.map((row) => CACHE_KEYS.followerCount(row.localActorId)));
      },
    };
  }
}
