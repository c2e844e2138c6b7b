import { Injectable } from '@nestjs/common';
import { ActorUrls, LocalActorRepository } from '@peerfed/ingress/data-access';
import { type ApActivity } from '@peerfed/shared/activitypub';
import { FederationEventsPublisher } from './federation-events.publisher';

/**
 * Group federation (FEP-1b12, as Lemmy does it): what a remote member does in one of our Groups
 * (a post or reply, its edit or deletion, a vote and its withdrawal) is announced by that Group to
 * its followers, so everyone following the challenge sees it, not only the member's own server.
 */
@Injectable()
export class GroupAnnouncer {
  constructor(
    private readonly urls: ActorUrls,
    private readonly actors: LocalActorRepository,
    private readonly events: FederationEventsPublisher,
  ) {}

  /**
   * Announces `activity` when `localActorId` (the local actor the object belongs to) is a Group;
   * objects of local users, or of no local actor, are not passed on. Returns whether it announced.
   */
  async announce(activity: ApActivity, localActorId: string | null | undefined): Promise<boolean> {
    if (!localActorId) return false;
    const owner = await this.actors.findById(localActorId);
    if (owner?.kind !== 'challenge') return false;
    const groupId = this.urls.actor(owner);
    await this.events.announce(groupId, this.urls.followers(groupId), activity.raw);
    return true;
  }
}
