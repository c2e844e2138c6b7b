import { Injectable } from '@nestjs/common';
import {
  ActorUrls,
  CACHE_KEYS,
  FollowerRepository,
  FollowingRepository,
  type LocalActorEntity,
  LocalActorRepository,
  RedisJsonCache,
  type RemoteActorRecord,
} from '@peerfed/ingress/data-access';
import { AS_CONTEXT } from '@peerfed/shared/activitypub';
import { activityMessageId } from '@peerfed/shared/outbound';
import { type ActivityContext, type ActivityEffect, ignored } from './activity-effect.types';
import { FederationEventsPublisher } from './federation-events.publisher';

/** Follow (auto-accepted: our actors are public), Undo(Follow), and Accept/Reject of follows we sent. */
@Injectable()
export class FollowActivitiesHandler {
  constructor(
    private readonly urls: ActorUrls,
    private readonly actors: LocalActorRepository,
    private readonly followers: FollowerRepository,
    private readonly following: FollowingRepository,
    private readonly events: FederationEventsPublisher,
    private readonly cache: RedisJsonCache,
  ) {}

  async follow({ activity, actorId, manager }: ActivityContext, follower: RemoteActorRecord): Promise<ActivityEffect> {
    const local = await this.localActor(activity.object.id);
    if (!local) return ignored('not-a-local-actor');
    const localActorId = this.urls.actor(local);
    const row = { localActorId: local.id, followerId: actorId, inbox: follower.inbox, sharedInbox: follower.sharedInbox, state: 'accepted' as const, followActivityId: activity.id };
    await this.followers.upsert(row, manager);
    await this.events.followerChanged('added', localActorId, row, activity.id);
    const accept = {
      '@context': AS_CONTEXT,
      id: `${localActorId}/accepts/${activityMessageId(activity.id)}`,
      type: 'Accept',
      actor: localActorId,
      object: { id: activity.id, type: 'Follow', actor: actorId, object: localActorId },
      to: [actorId],
    };
    await this.events.publish(accept, localActorId, [follower.inbox]);
    return { outcome: 'follower-added', afterCommit: () => this.cache.delete(CACHE_KEYS.followerCount(local.id)) };
  }

  /** Undo of a Follow: by the embedded Follow's object, or by the Follow's id alone. */
  async unfollow({ activity, actorId, manager }: ActivityContext): Promise<ActivityEffect> {
    const embedded = activity.object.embedded;
    const target = embedded?.kind === 'activity' ? await this.localActor(embedded.object.id) : undefined;
    const row = target
      ? await this.followers.remove(target.id, actorId, manager)
      : await this.removeByFollowId(activity.object.id, actorId, manager);
    if (!row) return ignored('not-following');
    const local = target ?? (await this.actors.findById(row.localActorId));
    if (local) await this.events.followerChanged('removed', this.urls.actor(local), row, activity.id);
    return { outcome: 'follower-removed', afterCommit: () => this.cache.delete(CACHE_KEYS.followerCount(row.localActorId)) };
  }

  async answer({ activity, actorId, manager }: ActivityContext, state: 'accepted' | 'rejected'): Promise<ActivityEffect> {
    const answered = await this.following.answer(activity.object.id, actorId, state, manager);
    return answered ? { outcome: `follow-${state}` } : ignored('unknown-follow');
  }

  private async removeByFollowId(followActivityId: string, actorId: string, manager: ActivityContext['manager']) {
    const row = await this.followers.findByFollowActivity(followActivityId, manager);
    if (!row || row.followerId !== actorId) return undefined;
    return this.followers.remove(row.localActorId, actorId, manager);
  }

  private async localActor(url: string): Promise<LocalActorEntity | undefined> {
    const ref = this.urls.parseActor(url);
    return (ref && (await this.actors.findByRef(ref.kind, ref.username))) ?? undefined;
  }
}
