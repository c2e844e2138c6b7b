import { type Priority } from '@peerfed/shared/contracts';
import { type ActivityType, type ApActivity, type ApUnknown } from './activitypub.types';

/**
 * Inbound priority lanes (SPEC §2: critical = immediate, high = user actions, medium = general
 * federation, low = background). One table; the two actor-level overrides and the Announce rule
 * are applied by {@link activityPriority}.
 *
 * | activity                                         | lane     | why                                                   |
 * |--------------------------------------------------|----------|-------------------------------------------------------|
 * | Delete whose object is the sending actor         | critical | account deleted: purge before processing anything else |
 * | Update whose object is the sending actor         | critical | key rotation / profile: later signatures depend on it  |
 * | Follow, Accept, Reject, Undo                     | high     | a person acted on a relationship and waits for it      |
 * | Create, Update, Delete, Like, Dislike            | medium   | general federation traffic                             |
 * | Announce wrapping an activity (Lemmy relays)     | lane of the wrapped activity, at most medium           |
 * | Announce of an object (a boost)                  | low      | background: nobody waits for it                        |
 * | any type we do not handle                        | low      | accepted and ignored in the background                 |
 */
export const ACTIVITY_PRIORITIES: Readonly<Record<ActivityType, Priority>> = {
  Follow: 'high',
  Accept: 'high',
  Reject: 'high',
  Undo: 'high',
  Create: 'medium',
  Update: 'medium',
  Delete: 'medium',
  Like: 'medium',
  Dislike: 'medium',
  Announce: 'low',
};

const RANK: Readonly<Record<Priority, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

/** The inbound lane of a parsed activity, per the table on {@link ACTIVITY_PRIORITIES}. */
export function activityPriority(activity: ApActivity | ApUnknown): Priority {
  if (activity.kind === 'unknown') return 'low';
  const targetsSender = activity.object.id === activity.actor;
  if ((activity.type === 'Delete' || activity.type === 'Update') && targetsSender) return 'critical';
  if (activity.type === 'Announce') {
    const inner = activity.object.embedded;
    if (inner?.kind !== 'activity') return 'low';
    const innerLane = activityPriority(inner);
    // A relayed activity never outranks general federation: the relay, not a person, sent it.
    return RANK[innerLane] < RANK.medium ? 'medium' : innerLane;
  }
  return ACTIVITY_PRIORITIES[activity.type];
}
