import { type Priority } from '@peerfed/shared/contracts';

export interface PublishRequest {
  /** The activity as it will be POSTed (JSON-LD object with id, type and actor). */
  activity: Record<string, unknown>;
  /** The local actor sending it; must equal `activity.actor`. Its key signs every request. */
  actorId: string;
  /** followers: the actor's followers (shared-inbox dedupe); inboxes: explicit destinations. */
  audience: { followers: boolean; inboxes?: readonly string[] };
  /** Lane override; default activityPriority() of the activity. */
  priority?: Priority;
}

export interface PublishResult {
  activityId: string;
  /** The envelope id: stable per activity id, the consumer's idempotency key. */
  messageId: string;
  priority: Priority;
  /** Redis entry id of the XADD. */
  entryId: string;
}
