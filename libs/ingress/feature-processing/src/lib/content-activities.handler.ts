import { Injectable } from '@nestjs/common';
import { ActorUrls, type LocalActorEntity, LocalActorRepository, ObjectRepository } from '@peerfed/ingress/data-access';
import { type Addressing, type ApObject, sameOrigin } from '@peerfed/shared/activitypub';
import { type ActivityContext, type ActivityEffect, ignored } from './activity-effect.types';
import { FederationEventsPublisher } from './federation-events.publisher';
import { GroupAnnouncer } from './group-announcer.service';

/**
 * Create and Update of Note/Page/Article addressed to a local Group or replying to an object we
 * store -> a stored remote post or comment; Delete of such an object -> Tombstone. What happens in
 * a Group is announced by the Group to its followers.
 */
@Injectable()
export class ContentActivitiesHandler {
  constructor(
    private readonly urls: ActorUrls,
    private readonly actors: LocalActorRepository,
    private readonly objects: ObjectRepository,
    private readonly events: FederationEventsPublisher,
    private readonly groups: GroupAnnouncer,
  ) {}

  async createOrUpdate({ activity, actorId, manager }: ActivityContext): Promise<ActivityEffect> {
    const object = activity.object.embedded;
    if (object?.kind !== 'object') return ignored('no-embedded-object');
    if (!object.attributedTo.includes(actorId)) return ignored('not-the-author');
    // A remote actor cannot create or overwrite an object under our origin, nor under another
    // server's: an object lives on its author's origin (as Mastodon and Lemmy check too).
    if (this.urls.isLocal(object.id)) return ignored('claims-a-local-object');
    if (!sameOrigin(object.id, actorId)) return ignored('object-of-another-origin');
    const place = await this.placeOf(object, activity.addressing, manager);
    if (place === undefined) return ignored('not-addressed-to-us');
    // A reply to a local user's object belongs to that user, not to a Group.
    const owner = place === null ? undefined : await this.actors.findById(place);
    const group = owner?.kind === 'challenge' ? owner : undefined;
    const result = await this.objects.upsert(
      {
        objectId: object.id,
        local: false,
        type: object.type,
        attributedTo: actorId,
        localActorId: place,
        inReplyTo: object.inReplyTo ?? null,
        name: object.name ?? null,
        content: object.content ?? null,
        document: object.raw,
        publishedAt: parseDate(object.published) ?? new Date(),
        updatedAt: activity.type === 'Update' ? (parseDate(object.updated) ?? new Date()) : null,
      },
      manager,
    );
    if (result === 'refused') return ignored('not-the-author');
    if (result !== 'deleted') {
      const post = {
        change: result,
        objectId: object.id,
        attributedTo: actorId,
        type: object.type,
        ...(group && { groupId: this.urls.actor(group) }),
        ...(object.inReplyTo !== undefined && { inReplyTo: object.inReplyTo }),
      };
      await this.events.postChanged(post, activity.id);
      await this.groups.announce(activity, place);
    }
    return { outcome: `object-${result}` };
  }

  async delete({ activity, actorId, manager }: ActivityContext): Promise<ActivityEffect> {
    const deleted = await this.objects.tombstone(activity.object.id, actorId, manager);
    if (!deleted) return ignored('unknown-object');
    await this.events.postChanged({ change: 'deleted', objectId: activity.object.id, attributedTo: actorId }, activity.id);
    await this.groups.announce(activity, deleted.localActorId);
    return { outcome: 'object-deleted' };
  }

  /**
   * The local Group the object belongs to: one it is addressed to, or the one of the object it
   * replies to. `null` for a reply to a stored object outside any Group; undefined: not ours.
   */
  private async placeOf(object: ApObject, activityAddressing: Addressing, manager: ActivityContext['manager']): Promise<string | null | undefined> {
    for (const id of addressees(object.addressing, activityAddressing)) {
      const group = await this.localGroup(id);
      if (group) return group.id;
    }
    if (object.inReplyTo === undefined) return undefined;
    const parent = await this.objects.find(object.inReplyTo, manager);
    return parent ? parent.localActorId : undefined;
  }

  private async localGroup(url: string): Promise<LocalActorEntity | undefined> {
    const ref = this.urls.parseActor(url);
    if (ref?.kind !== 'challenge') return undefined;
    return (await this.actors.findByRef(ref.kind, ref.username)) ?? undefined;
  }
}

function addressees(...addressings: Addressing[]): Set<string> {
  const ids = new Set<string>();
  for (const addressing of addressings) for (const id of [...addressing.audience, ...addressing.to, ...addressing.cc]) ids.add(id);
  return ids;
}

function parseDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}
