import { defineStream } from '../lib/define-stream.util';
import { IsHttpUrl } from '../lib/url-rules.util';

/**
 * A remote inbox answered 410 Gone to a delivery: the actor whose personal inbox it is no longer
 * exists. Ingress stops counting it as a follower and marks it gone; a shared inbox names no
 * actor, so nothing changes for one.
 */
export class InboxGonePayload {
  @IsHttpUrl()
  inbox!: string;

  /** The delivery that was answered 410 (with the inbox, the idempotency key of the report). */
  @IsHttpUrl()
  activityId!: string;
}

/** delivery -> ingress. */
export const DeliveryGoneV1 = defineStream({
  stream: 'delivery.gone.v1',
  type: 'inbox.gone',
  schemaVersion: 1,
  payload: InboxGonePayload,
});
