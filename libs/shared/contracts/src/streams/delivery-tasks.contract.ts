import { IsISO8601, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { defineStream } from '../lib/define-stream.util';
import { IsHttpUrl } from '../lib/url-rules.util';

/**
 * One activity for one destination inbox, written by delivery's fan-out. The activity body is not
 * in the task: it is stored once in Postgres and loaded (cached) by the worker that signs it.
 */
export class DeliveryTaskPayload {
  @IsHttpUrl()
  activityId!: string;

  /** ActivityStreams type (Create, Follow ...): selects the retry policy. */
  @IsString()
  @Matches(/^[A-Z][A-Za-z]{1,63}$/)
  activityType!: string;

  /** For an Undo: the type of the undone activity, whose retry policy applies. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z][A-Za-z]{1,63}$/)
  undoTargetType?: string;

  /** The local actor whose key signs the request. */
  @IsHttpUrl()
  actorId!: string;

  @IsHttpUrl()
  inbox!: string;

  /** Activities with the same key reach the host in publication order (Create, Update, Delete). */
  @IsString()
  @Length(1, 2048)
  orderingKey!: string;

  /** 1 for the first try; a retry carries the attempt it will make. */
  @IsInt()
  @Min(1)
  attempt!: number;

  /** When fan-out queued the first try: bounds retries (MAX_RETRY_DURATION) and measures latency. */
  @IsISO8601({ strict: true })
  queuedAt!: string;
}

/** delivery fan-out -> delivery workers (internal to the delivery service). */
export const DeliveryTasksV1 = defineStream({
  stream: 'delivery.tasks.v1',
  type: 'delivery.task',
  schemaVersion: 1,
  payload: DeliveryTaskPayload,
});
