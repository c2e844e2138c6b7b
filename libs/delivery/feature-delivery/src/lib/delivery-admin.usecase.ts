import { randomUUID } from 'node:crypto';
import {
  type DeadLetterFilter,
  type DeadLetterStoreRepository,
  type DeliveryRecordsRepository,
  type DeliveryStatusRepository,
  type StreamWriter,
} from '@peerfed/delivery/data-access';
import { type DeliveryAdminCommandPayload, type DeliveryAdminReply, DeliveryTasksV1 } from '@peerfed/shared/contracts';
import { type DeliveryClock } from './delivery-settings.types';

/**
 * The commands of delivery.admin.v1: delivery status of an activity, and dead letters. Replay re-queues each task as a first attempt
 * (a fresh retry budget, queuedAt now) and only then deletes the dead letter, so a crash in
 * between can duplicate a replay but never lose one.
 */
export class DeliveryAdminUseCase {
  constructor(
    private readonly deadLetters: DeadLetterStoreRepository,
    private readonly statuses: DeliveryStatusRepository,
    private readonly records: DeliveryRecordsRepository,
    private readonly writer: StreamWriter,
    private readonly clock: DeliveryClock,
  ) {}

  async execute(command: DeliveryAdminCommandPayload): Promise<DeliveryAdminReply> {
    if (command.action === 'status') return this.status(String(command.activityId));
    const filter: DeadLetterFilter = {
      ids: command.ids,
      host: command.host,
      activityId: command.activityId,
      activityType: command.activityType,
      reason: command.reason,
      all: command.all,
      limit: command.limit,
    };
    const letters = await this.deadLetters.find(filter);
    switch (command.action) {
      case 'list':
        return {
          action: 'list',
          matched: letters.length,
          affected: 0,
          items: letters.map((l) => ({
            id: l.id,
            activityId: l.task.activityId,
            activityType: l.task.activityType,
            inbox: l.task.inbox,
            host: l.host,
            reason: l.reason,
            lastError: l.lastError,
            ...(l.lastStatus === undefined ? {} : { lastStatus: l.lastStatus }),
            attempts: l.history.length,
            deadAt: new Date(l.deadAt).toISOString(),
          })),
        };
      case 'purge': {
        const removed = await this.deadLetters.remove(letters.map((l) => l.id));
        return { action: 'purge', matched: letters.length, affected: removed.length };
      }
      case 'replay': {
        const now = this.clock.now();
        // Queued after the dead letter's final status (stamped deadAt), so that status, even if it
        // is stored only after this replay, never makes a worker skip the new task.
        const queuedAt = (letter: { deadAt: number }): string => new Date(Math.max(now, letter.deadAt + 1)).toISOString();
        for (const letter of letters) {
          await this.statuses.set(letter.task.activityId, letter.task.inbox, {
            state: 'queued',
            host: letter.host,
            activityType: letter.task.activityType,
            attempts: 0,
            history: [],
            updatedAt: now,
          });
        }
        await this.writer.append(
          DeliveryTasksV1,
          letters.map((l) => ({ id: randomUUID(), priority: l.priority, payload: { ...l.task, attempt: 1, queuedAt: queuedAt(l) } })),
          new Date(now),
        );
        const removed = await this.deadLetters.remove(letters.map((l) => l.id));
        return { action: 'replay', matched: letters.length, affected: removed.length };
      }
    }
  }

  /** Live status from Redis (within TASK_TTL); after that, the Postgres archive of finished ones. */
  private async status(activityId: string): Promise<DeliveryAdminReply> {
    const live = await this.statuses.ofActivity(activityId);
    const deliveries =
      live.size > 0
        ? [...live.entries()].map(([inbox, s]) => ({
            inbox,
            state: s.state,
            attempts: s.attempts,
            ...(s.lastStatus === undefined ? {} : { lastStatus: s.lastStatus }),
            ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
            ...(s.nextAttemptAt === undefined ? {} : { nextAttemptAt: new Date(s.nextAttemptAt).toISOString() }),
          }))
        : (await this.records.ofActivity(activityId)).map((r) => ({
            inbox: r.inbox,
            state: r.state,
            attempts: r.attempts,
            ...(r.lastStatus === null ? {} : { lastStatus: r.lastStatus }),
          }));
    deliveries.sort((a, b) => (a.inbox < b.inbox ? -1 : a.inbox > b.inbox ? 1 : 0));
    return { action: 'status', matched: deliveries.length, affected: 0, deliveries };
  }
}
