import { activityPriority, parseActivity } from '@peerfed/shared/activitypub';
import {
  DeliveryOutboundV1,
  ENVELOPE_FIELD,
  type MessageEnvelope,
  type OutboundActivityPayload,
  type Priority,
  createEnvelope,
  isPriority,
  laneKey,
  validateMessage,
} from '@peerfed/shared/contracts';
import { type Cluster, type Redis } from 'ioredis';
import { activityMessageId } from './activity-message-id.util';
import { InvalidOutboundActivityException } from './invalid-outbound-activity.exception';
import { type PublishRequest, type PublishResult } from './outbound-publish.types';

/** Largest activity accepted, serialized (remote servers refuse far smaller bodies anyway). */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

interface Prepared {
  envelope: MessageEnvelope<OutboundActivityPayload>;
  priority: Priority;
}

/**
 * The producer API of outbound federation: validates an activity and queues ONE message on
 * `delivery.outbound.v1` (lane from activityPriority unless given). The delivery service fans it
 * out. Nothing is queued when any activity of a batch is invalid.
 *
 * The lane keys and the entry field come from the wire contract (laneKey, ENVELOPE_FIELD in
 * @peerfed/shared/contracts), so the delivery service's RedisStreamsServer reads these messages.
 */
export class OutboundPublisher {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async publish(request: PublishRequest): Promise<PublishResult> {
    const [result] = await this.publishBatch([request]);
    if (!result) throw new Error('publish: no result');
    return result;
  }

  /** Validates every request first, then adds them all in one MULTI (all or none). */
  async publishBatch(requests: readonly PublishRequest[]): Promise<PublishResult[]> {
    if (requests.length === 0) return [];
    const prepared = requests.map((request, index) => this.prepare(request, index));
    const multi = this.redis.multi();
    for (const { envelope, priority } of prepared) {
      multi.xadd(outboundLaneKey(priority), '*', ENVELOPE_FIELD, JSON.stringify(envelope));
    }
    const replies = await multi.exec();
    if (!replies) throw new Error('publishBatch: the transaction was aborted');
    return prepared.map(({ envelope, priority }, index) => {
      const [error, entryId] = replies[index] ?? [new Error('no reply'), null];
      if (error) throw error;
      return { activityId: envelope.payload.activityId, messageId: envelope.id, priority, entryId: String(entryId) };
    });
  }

  private prepare(request: PublishRequest, index: number): Prepared {
    const problems = checkRequest(request);
    if (problems.length > 0) throw new InvalidOutboundActivityException(index, problems);
    const parsed = parseActivity(request.activity);
    if (!parsed.ok) throw new InvalidOutboundActivityException(index, [`activity: ${parsed.error.message} at ${parsed.error.path || '/'}`]);
    const activity = parsed.value;
    const activityId = activity.id;
    if (activityId === undefined) throw new InvalidOutboundActivityException(index, ['activity.id: required']);
    if (activity.actor !== request.actorId) {
      throw new InvalidOutboundActivityException(index, [`activity.actor: must be the sender ${request.actorId}, got ${String(activity.actor)}`]);
    }
    const payload: OutboundActivityPayload = {
      activityId,
      activity: request.activity,
      actorId: request.actorId,
      audience: { followers: request.audience.followers, inboxes: [...(request.audience.inboxes ?? [])] },
    };
    const envelope = createEnvelope(DeliveryOutboundV1, payload, { id: activityMessageId(activityId), createdAt: this.clock() });
    const validated = validateMessage(DeliveryOutboundV1, envelope);
    if (!validated.ok) throw new InvalidOutboundActivityException(index, validated.errors);
    return { envelope, priority: request.priority ?? activityPriority(activity) };
  }
}

function checkRequest(request: PublishRequest): string[] {
  const problems: string[] = [];
  if (request.priority !== undefined && !isPriority(request.priority)) problems.push(`priority: unknown lane "${String(request.priority)}"`);
  const audience = request.audience as PublishRequest['audience'] | undefined;
  if (!audience || (audience.followers !== true && (audience.inboxes ?? []).length === 0)) {
    problems.push('audience: name followers and/or at least one inbox');
  }
  let size = 0;
  try {
    size = Buffer.byteLength(JSON.stringify(request.activity) ?? '');
  } catch {
    problems.push('activity: not serializable to JSON');
  }
  if (size > MAX_ACTIVITY_BYTES) problems.push(`activity: ${size} bytes, more than ${MAX_ACTIVITY_BYTES}`);
  return problems;
}

/** The lane key of delivery.outbound.v1, as the streams transport names it. */
export function outboundLaneKey(priority: Priority): string {
  return laneKey(DeliveryOutboundV1.stream, priority);
}
