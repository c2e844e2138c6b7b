import { Injectable, Logger } from '@nestjs/common';
import {
  InboundActivityRepository,
  RemoteActorRepository,
  RemoteActorResolver,
  type RemoteActorRecord,
  RemoteFetchException,
} from '@peerfed/ingress/data-access';
import { runOnce } from '@peerfed/platform/database';
import { type ApActivity, type ApUnknown, parseActivity } from '@peerfed/shared/activitypub';
import { type InboundActivityPayload } from '@peerfed/shared/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { type ActivityContext, type ActivityEffect, ignored } from './activity-effect.types';
import { ActorLifecycleHandler } from './actor-lifecycle.handler';
import { ContentActivitiesHandler } from './content-activities.handler';
import { FollowActivitiesHandler } from './follow-activities.handler';
import { VoteActivitiesHandler } from './vote-activities.handler';

/** processed_messages consumer name: one effect per activity id, however often it is queued. */
export const APPLY_CONSUMER = 'ingress.apply-inbound-activity';

export type ApplyResult = ActivityEffect | { readonly outcome: 'duplicate' };

/**
 * Applies one verified inbound activity to Postgres, exactly once per activity id (runOnce: the
 * processed row and the effect commit together). The sender's actor document is resolved first
 * (cached; refetched for an Update of the actor itself, which is how keys rotate) and stored with
 * the effect. Events for other services are published inside the transaction with stable ids.
 */
@Injectable()
export class ApplyInboundActivityUseCase {
  private readonly logger = new Logger(ApplyInboundActivityUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly resolver: RemoteActorResolver,
    private readonly remoteActors: RemoteActorRepository,
    private readonly inbound: InboundActivityRepository,
    private readonly follows: FollowActivitiesHandler,
    private readonly content: ContentActivitiesHandler,
    private readonly votes: VoteActivitiesHandler,
    private readonly lifecycle: ActorLifecycleHandler,
  ) {}

  async execute(payload: InboundActivityPayload): Promise<ApplyResult> {
    const parsed = parseActivity(payload.activity);
    if (!parsed.ok || parsed.value.id === undefined) {
      this.logger.warn({ msg: 'inbound activity no longer parses; dropped', actorId: payload.actorId });
      return ignored('invalid');
    }
    const activity = parsed.value;
    const activityId = activity.id as string;
    const actorId = payload.actorId;
    const selfDelete = isAbout(activity, 'Delete', actorId);
    // A deleted actor cannot be fetched any more; everyone else is stored with the effect.
    let sender: RemoteActorRecord | undefined;
    try {
      sender = selfDelete ? undefined : await this.resolver.actor(actorId, { refresh: isAbout(activity, 'Update', actorId) });
    } catch (error) {
      // Gone or unknown since the inbox verified it: nothing to apply. Other failures are retried.
      if (error instanceof RemoteFetchException && error.final) return ignored('sender-gone');
      throw error;
    }

    const result = await runOnce(this.dataSource, { consumer: APPLY_CONSUMER, messageId: activityId }, async (manager) => {
      if (sender) await this.remoteActors.upsert(sender, manager);
      return this.apply(activity, actorId, sender, manager);
    });
    if (result.duplicate) return { outcome: 'duplicate' };
    await result.result.afterCommit?.();
    this.logger.debug({ msg: 'inbound activity applied', activityId, outcome: result.result.outcome });
    return result.result;
  }

  private async apply(activity: ApActivity | ApUnknown, actorId: string, sender: RemoteActorRecord | undefined, manager: EntityManager): Promise<ActivityEffect> {
    if (activity.kind === 'unknown') return this.record(activity, actorId, manager, 'unknown-type');
    const context: ActivityContext = { activity, actorId, manager };
    switch (activity.type) {
      case 'Follow':
        return sender ? this.follows.follow(context, sender) : ignored('no-sender');
      case 'Accept':
        return this.follows.answer(context, 'accepted');
      case 'Reject':
        return this.follows.answer(context, 'rejected');
      case 'Undo':
        return this.undo(context);
      case 'Create':
        return this.content.createOrUpdate(context);
      case 'Update':
        return activity.object.id === actorId ? { outcome: 'actor-refreshed' } : this.content.createOrUpdate(context);
      case 'Delete':
        return activity.object.id === actorId ? this.lifecycle.purge(context) : this.content.delete(context);
      case 'Like':
      case 'Dislike':
        return this.votes.vote(context, activity.type);
      case 'Announce':
        return this.record(activity, actorId, manager, 'announce');
    }
  }

  /** Undo names a Follow or a vote: embedded (with its type) or by id alone (then both are tried). */
  private async undo(context: ActivityContext): Promise<ActivityEffect> {
    const embedded = context.activity.object.embedded;
    const type = embedded?.kind === 'activity' ? embedded.type : undefined;
    if (type === 'Follow') return this.follows.unfollow(context);
    if (type === 'Like' || type === 'Dislike') return this.votes.withdraw(context);
    if (type !== undefined) return ignored(`undo-of-${type}`);
    const unfollowed = await this.follows.unfollow(context);
    return unfollowed.outcome.startsWith('ignored') ? this.votes.withdraw(context) : unfollowed;
  }

  private async record(activity: ApActivity | ApUnknown, actorId: string, manager: EntityManager, outcome: string): Promise<ActivityEffect> {
    const type = activity.kind === 'activity' ? activity.type : (activity.types[0] ?? 'Unknown');
    await this.inbound.record({ activityId: activity.id as string, type: type.slice(0, 64), actorId, activity: activity.raw }, manager);
    return { outcome: `recorded:${outcome}` };
  }
}

function isAbout(activity: ApActivity | ApUnknown, type: 'Delete' | 'Update', actorId: string): boolean {
  return activity.kind === 'activity' && activity.type === type && activity.object.id === actorId;
}
