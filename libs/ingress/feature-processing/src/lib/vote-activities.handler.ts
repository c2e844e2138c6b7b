import { Injectable } from '@nestjs/common';
import { ObjectRepository, VoteRepository } from '@peerfed/ingress/data-access';
import { type ActivityContext, type ActivityEffect, ignored } from './activity-effect.types';
import { FederationEventsPublisher } from './federation-events.publisher';
import { GroupAnnouncer } from './group-announcer.service';

/**
 * Like / Dislike of an object we store (ours, or a post in one of our Groups), and their Undo. A
 * vote on an object of a Group is announced by the Group to its followers (Lemmy counts them so).
 */
@Injectable()
export class VoteActivitiesHandler {
  constructor(
    private readonly objects: ObjectRepository,
    private readonly votes: VoteRepository,
    private readonly events: FederationEventsPublisher,
    private readonly groups: GroupAnnouncer,
  ) {}

  async vote({ activity, actorId, manager }: ActivityContext, type: 'Like' | 'Dislike'): Promise<ActivityEffect> {
    const object = await this.objects.find(activity.object.id, manager);
    if (!object || object.deletedAt || (!object.local && object.localActorId === null)) return ignored('not-a-local-object');
    const kind = VoteRepository.kindOf(type);
    await this.votes.cast({ activityId: activity.id, actorId, objectId: object.objectId, kind }, manager);
    await this.events.voteChanged({ change: 'cast', kind, actorId, objectId: object.objectId, activityId: activity.id }, activity.id);
    await this.groups.announce(activity, object.localActorId);
    return { outcome: `vote-${kind}` };
  }

  /** Undo of a vote, named by the vote activity's id (embedded or not). */
  async withdraw({ activity, actorId, manager }: ActivityContext): Promise<ActivityEffect> {
    const withdrawn = await this.votes.withdraw(activity.object.id, actorId, manager);
    if (!withdrawn) return ignored('unknown-vote');
    const vote = { change: 'withdrawn' as const, kind: withdrawn.kind, actorId, objectId: withdrawn.objectId, activityId: withdrawn.activityId };
    await this.events.voteChanged(vote, activity.id);
    await this.groups.announce(activity, (await this.objects.find(withdrawn.objectId, manager))?.localActorId);
    return { outcome: 'vote-withdrawn' };
  }
}
