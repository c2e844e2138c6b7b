import { Injectable } from '@nestjs/common';
import { type FollowerEntity } from '@peerfed/ingress/data-access';
import { RedisStreamsClient } from '@peerfed/platform/streams';
import {
  type FollowerChange,
  IngressFollowersV1,
  IngressPostsV1,
  IngressVotesV1,
  type RemotePostChangedPayload,
  type VoteChangedPayload,
} from '@peerfed/shared/contracts';
import { activityMessageId, groupAnnouncement, OutboundPublisher } from '@peerfed/shared/outbound';

/**
 * What the inbound workers tell other services: follower changes on ingress.followers.v1 (the
 * delivery service's audience projection), votes on ingress.votes.v1 and remote posts on
 * ingress.posts.v1 (for the challenges service), and activities to federate (an Accept, a Group's
 * Announce) through OutboundPublisher. Envelope ids derive from the causing activity and the
 * subject (one purge causes many events), so a retried message publishes duplicates that consumers
 * drop.
 */
@Injectable()
export class FederationEventsPublisher {
  constructor(
    private readonly streams: RedisStreamsClient,
    private readonly outbound: OutboundPublisher,
  ) {}

  async followerChanged(change: FollowerChange, localActorId: string, follower: Pick<FollowerEntity, 'followerId' | 'inbox' | 'sharedInbox' | 'followActivityId'>, cause: string): Promise<void> {
    await this.streams.publishMessage(
      IngressFollowersV1,
      {
        change,
        localActorId,
        followerId: follower.followerId,
        inbox: follower.inbox,
        ...(follower.sharedInbox !== null && { sharedInbox: follower.sharedInbox }),
      },
      { id: activityMessageId(`${cause}#follower-${change} ${localActorId} ${follower.followerId}`), priority: 'high' },
    );
  }

  async voteChanged(vote: VoteChangedPayload, cause: string): Promise<void> {
    await this.streams.publishMessage(IngressVotesV1, vote, { id: activityMessageId(`${cause}#vote-${vote.change} ${vote.activityId}`), priority: 'medium' });
  }

  async postChanged(post: RemotePostChangedPayload, cause: string): Promise<void> {
    await this.streams.publishMessage(IngressPostsV1, post, { id: activityMessageId(`${cause}#post-${post.change} ${post.objectId}`), priority: 'medium' });
  }

  /** Queues a local Group's Announce of `activity` for the Group's followers (FEP-1b12). */
  async announce(groupId: string, followersUrl: string, activity: Record<string, unknown>): Promise<void> {
    await this.outbound.publish(groupAnnouncement({ groupId, followersUrl, activity }));
  }

  /** Queues an activity of a local actor for explicit inboxes. */
  async publish(activity: Record<string, unknown>, actorId: string, inboxes: readonly string[]): Promise<void> {
    await this.outbound.publish({ activity, actorId, audience: { followers: false, inboxes } });
  }
}
