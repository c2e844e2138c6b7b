import { Logger } from '@nestjs/common';
import {
  type ActivityStoreRepository,
  type DeliveryStatusRepository,
  type FollowerProjectionRepository,
  type OrderingGateRepository,
  type StreamWriter,
} from '@peerfed/delivery/data-access';
import { orderingKey, planFanOut } from '@peerfed/delivery/domain';
import { runOnce } from '@peerfed/platform/database';
import { parseActivity } from '@peerfed/shared/activitypub';
import { DeliveryTasksV1, type DeliveryTaskPayload, type OutboundActivityPayload, type Priority } from '@peerfed/shared/contracts';
import { type DataSource } from 'typeorm';
import { type DeliveryClock } from './delivery-settings.types';
import { taskMessageId } from './task-message-id.util';

export interface FanOutCommand {
  payload: OutboundActivityPayload;
  /** The envelope id of the publication: a redelivered or republished message is fanned out once. */
  messageId: string;
  priority: Priority;
  traceId?: string;
  /** When the producer published it (envelope createdAt): orders activities about one object. Default now. */
  publishedAt?: number;
}

export interface FanOutResult {
  duplicate: boolean;
  tasks: number;
  skippedLocal: number;
  rejected: number;
}

const APPEND_CHUNK = 1000;

/**
 * delivery.outbound.v1 -> delivery.tasks.v1: stores the activity once (committed first, so no
 * task can be read before its body exists), resolves the audience
 * (followers from the projection, explicit inboxes) with shared-inbox dedupe and without our own
 * hosts, and writes one task per destination inbox on the publication's lane. The tasks are
 * written inside the idempotency transaction: if writing fails nothing is recorded and the
 * message is retried; a retry after a crash between the XADD and the commit rewrites the same
 * task ids, and workers skip a destination whose status is already final.
 */
export class FanOutActivityUseCase {
  private readonly logger = new Logger(FanOutActivityUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly activities: ActivityStoreRepository,
    private readonly followers: FollowerProjectionRepository,
    private readonly statuses: DeliveryStatusRepository,
    private readonly writer: StreamWriter,
    private readonly ordering: OrderingGateRepository,
    private readonly localHosts: readonly string[],
    private readonly clock: DeliveryClock,
  ) {}

  async execute(command: FanOutCommand): Promise<FanOutResult> {
    const { payload } = command;
    const parsed = parseActivity(payload.activity);
    if (!parsed.ok) throw new Error(`activity ${payload.activityId} does not parse: ${parsed.error.message}`);
    const activity = parsed.value;
    const activityType = activity.kind === 'activity' ? activity.type : (activity.types[0] ?? 'Activity');
    const undoTargetType = activity.kind === 'activity' && activity.type === 'Undo' ? embeddedType(payload.activity['object']) : undefined;

    // Committed before any task exists: a worker that picks a task up at once must find the body.
    await this.activities.saveOnce({ activityId: payload.activityId, actorId: payload.actorId, activityType, body: payload.activity });
    const outcome = await runOnce(this.dataSource, { consumer: 'delivery.fan-out', messageId: command.messageId }, async (manager) => {
      const followers = payload.audience.followers ? await this.followers.followersOf(payload.actorId, manager) : [];
      const plan = planFanOut({ followers, localHosts: this.localHosts, explicitInboxes: payload.audience.inboxes });
      const now = this.clock.now();
      const queuedAt = new Date(now).toISOString();
      const tasks = plan.destinations.map((destination) => {
        const task: DeliveryTaskPayload = {
          activityId: payload.activityId,
          activityType,
          actorId: payload.actorId,
          inbox: destination.inbox,
          orderingKey: orderingKey(payload.activity as { type: string }, destination.host),
          attempt: 1,
          queuedAt,
          ...(undoTargetType === undefined ? {} : { undoTargetType }),
        };
        return { payload: task, host: destination.host, priority: command.priority, id: taskMessageId(payload.activityId, destination.inbox, 1), traceId: command.traceId };
      });
      await this.statuses.markQueued(payload.activityId, plan.destinations, activityType, now);
      const publishedAt = command.publishedAt ?? now;
      await this.ordering.enqueue(
        tasks.map(({ payload: t, host }) => ({ host, orderingKey: t.orderingKey, activityId: t.activityId, inbox: t.inbox, activityType, publishedAt })),
      );
      // Not re-validated here (the publication was validated on receipt, each inbox normalised by
      // planFanOut): a task the workers' validation refuses is dead-lettered on its own, replayable,
      // instead of failing the publication for every destination; and it saves most of the cost.
      for (let i = 0; i < tasks.length; i += APPEND_CHUNK) {
        await this.writer.append(DeliveryTasksV1, tasks.slice(i, i + APPEND_CHUNK), new Date(now), { validate: false });
      }
      if (plan.rejected.length > 0) {
        this.logger.warn(`${payload.activityId}: ${plan.rejected.length} follower inbox(es) refused: ${plan.rejected.map((r) => `${r.url} (${r.reason})`).join(', ')}`);
      }
      return { tasks: tasks.length, skippedLocal: plan.skippedLocal, rejected: plan.rejected.length };
    });
    return outcome.duplicate ? { duplicate: true, tasks: 0, skippedLocal: 0, rejected: 0 } : { duplicate: false, ...outcome.result };
  }
}

function embeddedType(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const type = (object as { type?: unknown }).type;
  return typeof type === 'string' && /^[A-Z][A-Za-z]{1,63}$/.test(type) ? type : undefined;
}
