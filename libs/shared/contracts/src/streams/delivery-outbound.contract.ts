import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsObject, ValidateNested } from 'class-validator';
import { defineStream } from '../lib/define-stream.util';
import { IsHttpUrl } from '../lib/url-rules.util';

/** Most explicit inboxes one publication may name; larger audiences go through followers. */
export const MAX_EXPLICIT_INBOXES = 1000;

/** Who receives an activity: the sender's followers (delivery's projection) and/or explicit inboxes. */
export class OutboundAudience {
  @IsBoolean()
  followers!: boolean;

  @IsArray()
  @ArrayMaxSize(MAX_EXPLICIT_INBOXES)
  @IsHttpUrl({ each: true })
  inboxes!: string[];
}

/**
 * One activity to federate, published once by its producer (OutboundPublisher): delivery stores it,
 * resolves the audience with shared-inbox dedupe and writes one task per destination inbox.
 */
export class OutboundActivityPayload {
  @IsHttpUrl()
  activityId!: string;

  /** The activity to POST, unsigned: delivery signs at send time. */
  @IsObject()
  activity!: Record<string, unknown>;

  /** The local actor who sends it (its key signs every request). */
  @IsHttpUrl()
  actorId!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => OutboundAudience)
  audience!: OutboundAudience;
}

/** services -> delivery fan-out: activities to federate, one message per activity, by priority. */
export const DeliveryOutboundV1 = defineStream({
  stream: 'delivery.outbound.v1',
  type: 'activity.publish',
  schemaVersion: 1,
  payload: OutboundActivityPayload,
});
