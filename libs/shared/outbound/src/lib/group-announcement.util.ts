import { AS_CONTEXT, AS_PUBLIC } from '@peerfed/shared/activitypub';
import { activityMessageId } from './activity-message-id.util';
import { InvalidOutboundActivityException } from './invalid-outbound-activity.exception';
import { type PublishRequest } from './outbound-publish.types';

export interface GroupAnnouncement {
  /** The local Group that shares the activity; its key signs the deliveries. */
  groupId: string;
  /** The Group's followers collection, named in `cc` as FEP-1b12 asks. */
  followersUrl: string;
  /** The activity as received (a member's Create, Update, Delete, Like, Dislike or Undo). */
  activity: Record<string, unknown>;
}

/**
 * Group federation as Lemmy and FEP-1b12 do it: a Group passes on what its members post, edit,
 * delete and vote by announcing the whole activity (embedded, not only its id) to its followers,
 * addressed to the public and its followers collection. The Announce id derives from the Group
 * and the announced activity, so announcing the same activity again fans it out once. Medium
 * priority: this is a member's content reaching the Group, not a background boost.
 */
export function groupAnnouncement({ groupId, followersUrl, activity }: GroupAnnouncement): PublishRequest {
  const activityId = activity['id'];
  if (typeof activityId !== 'string' || activityId === '') {
    throw new InvalidOutboundActivityException(0, ['the announced activity has no id']);
  }
  return {
    activity: {
      '@context': AS_CONTEXT,
      id: `${groupId}/announces/${activityMessageId(activityId)}`,
      type: 'Announce',
      actor: groupId,
      object: activity,
      to: [AS_PUBLIC],
      cc: [followersUrl],
    },
    actorId: groupId,
    audience: { followers: true },
    priority: 'medium',
  };
}
