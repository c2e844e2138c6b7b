import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  type ActivityStoreRepository,
  type AttemptRecord,
  type DeadLetterStoreRepository,
  type DelayedTasksRepository,
  type DeliveryRecord,
  type DeliveryStatus,
  type DeliveryStatusRepository,
  type FollowerProjectionRepository,
  type GroupCommit,
  MAX_HISTORY,
  type OrderingGateRepository,
  type RateLimiterRepository,
  type StreamEntry,
  TERMINAL_STATES,
} from '@peerfed/delivery/data-access';
import { classifyOutcome, nextRetry, type OutcomeClassification } from '@peerfed/delivery/domain';
import { ACTIVITY_JSON, signRequest } from '@peerfed/shared/activitypub';
import { type ActorSigningKey } from '@peerfed/shared/actor-keys';
import {
  type CircuitSnapshot,
  type DeliveryOutcomePayload,
  type DeliveryTaskPayload,
  type OutcomeClass,
  type Priority,
  circuitAllowsDelivery,
  circuitRetryAt,
} from '@peerfed/shared/contracts';
import { type DeliveryClock, type DeliverySettings } from './delivery-settings.types';
import { type HostSlots } from './host-slots.util';
import { type InboxPoster } from './inbox-poster.types';
import { taskMessageId } from './task-message-id.util';

export interface DeliverTaskCommand {
  task: DeliveryTaskPayload;
  priority: Priority;
  traceId?: string;
}

export type DeliverTaskResult = 'delivered' | 'retry-scheduled' | 'dead' | 'deferred' | 'skipped';

export interface DeliveryWorkerDeps {
  activities: ActivityStoreRepository;
  statuses: DeliveryStatusRepository;
  /** Postgres archive of finished deliveries, written in group commits. */
  archive: GroupCommit<DeliveryRecord>;
  deadLetters: DeadLetterStoreRepository;
  delayed: DelayedTasksRepository;
  rateLimiter: RateLimiterRepository;
  followers: FollowerProjectionRepository;
  ordering: OrderingGateRepository;
  /** delivery.outcomes.v1 events, written in group commits. */
  outcomes: GroupCommit<StreamEntry<DeliveryOutcomePayload>>;
  circuits: { get(host: string): CircuitSnapshot | undefined };
  keys: { signingKeyOf(actorId: string): Promise<ActorSigningKey | undefined> };
  poster: InboxPoster;
  slots: HostSlots;
  settings: DeliverySettings;
  clock: DeliveryClock;
  /** Called once per delivered task with the time since fan-out queued it (metrics, benchmarks). */
  onDelivered?: (task: DeliveryTaskPayload, queueToDeliveredMs: number) => void;
}

const SLOT_DEFER_MS = 250;
/** A task behind another one of its object re-checks no sooner than this, and 1 s when the head has no retry time. */
const ORDER_RECHECK_MS = 250;

/**
 * One try of one delivery task (delivery.tasks.v1). Nothing is ever dropped: a task is either
 * delivered, dead-lettered, or written back to the delayed set (retry or deferral), and only then
 * does this resolve, so the transport acknowledges the stream entry after the durable write.
 *
 * Order of checks: final status (a duplicate task) -> circuit -> per-object order (the earlier
 * activity about the same object at this host goes first) -> a host slot (concurrency) ->
 * rate limits (per host, global) -> sign at send time -> POST -> classify.
 */
export class DeliverTaskUseCase {
  private readonly logger = new Logger(DeliverTaskUseCase.name);

  constructor(private readonly deps: DeliveryWorkerDeps) {}

  async execute(command: DeliverTaskCommand): Promise<DeliverTaskResult> {
    const { task } = command;
    const { deps } = this;
    const host = new URL(task.inbox).host;
    const status = await deps.statuses.get(task.activityId, task.inbox);
    if (status && TERMINAL_STATES.has(status.state)) {
      await deps.ordering.release(task.orderingKey, task.activityId, task.inbox);
      return 'skipped';
    }
    const current: DeliveryStatus = status ?? { state: 'queued', host, activityType: task.activityType, attempts: 0, history: [], updatedAt: deps.clock.now() };

    const now = deps.clock.now();
    const circuit = deps.circuits.get(host);
    if (!circuitAllowsDelivery(circuit, now)) {
      // Open: wait for half-open. Blocked: nothing is sent, but the task is kept and re-checked.
      const retryAt = circuitRetryAt(circuit, now) ?? now + deps.settings.blockedRecheckMs;
      await this.defer(command, current, Math.max(retryAt, now + 1), host);
      await this.emitOutcome(task, host, { latencyMs: 0, outcome: 'deferred', errorClass: circuit?.blocked ? 'blocked' : 'circuit_open' });
      return 'deferred';
    }

    const ahead = await deps.ordering.blockedBy(task.orderingKey, task.activityId, task.inbox, now);
    if (ahead) {
      const headStatus = await deps.statuses.get(ahead.activityId, ahead.inbox);
      await this.defer(command, current, Math.max(now + ORDER_RECHECK_MS, (headStatus?.nextAttemptAt ?? now + 1000) + 1), host);
      return 'deferred';
    }

    const release = await deps.slots.acquire(host, deps.settings.hostSlotWaitMs);
    if (!release) {
      await this.defer(command, current, deps.clock.now() + SLOT_DEFER_MS, host);
      return 'deferred';
    }
    try {
      const decision = await deps.rateLimiter.acquire(host, deps.settings.perHostLimit, deps.settings.globalLimit, deps.clock.now());
      if (!decision.allowed) {
        await this.defer(command, current, deps.clock.now() + decision.retryInMs, host);
        return 'deferred';
      }
      return await this.send(command, current, host);
    } finally {
      release();
    }
  }

  private async send(command: DeliverTaskCommand, current: DeliveryStatus, host: string): Promise<DeliverTaskResult> {
    const { task } = command;
    const { deps } = this;
    const activity = await deps.activities.find(task.activityId);
    if (!activity) return this.deadLetter(command, current, host, 'activity-missing', `activity ${task.activityId} is not stored`);
    const key = await deps.keys.signingKeyOf(task.actorId);
    if (!key) return this.deadLetter(command, current, host, 'missing-key', `no signing key for ${task.actorId}`);

    const started = deps.clock.now();
    let classification: OutcomeClassification;
    try {
      const headers = signRequest({
        method: 'POST',
        url: task.inbox,
        headers: { 'content-type': ACTIVITY_JSON },
        body: activity.json,
        keyId: key.keyId,
        privateKey: key.privateKey,
        // Signed with the wall clock, not the injected one: the Date header must be fresh at the remote.
        scheme: 'cavage',
      });
      const response = await deps.poster.post(task.inbox, { headers: { 'content-type': ACTIVITY_JSON, accept: ACTIVITY_JSON, ...headers }, body: activity.json });
      classification = classifyOutcome({ status: response.status, retryAfter: response.headers['retry-after'] ?? null, now: deps.clock.now() });
    } catch (error) {
      classification = classifyOutcome({ error, now: deps.clock.now() });
    }
    const finished = deps.clock.now();
    const attemptRecord: AttemptRecord = {
      attempt: task.attempt,
      at: finished,
      ...(classification.status === undefined ? {} : { status: classification.status }),
      errorClass: classification.errorClass,
      latencyMs: Math.max(0, finished - started),
    };
    const updated: DeliveryStatus = {
      ...current,
      attempts: current.attempts + 1,
      history: [...current.history, attemptRecord].slice(-MAX_HISTORY),
      ...(classification.status === undefined ? {} : { lastStatus: classification.status }),
      updatedAt: finished,
    };

    switch (classification.kind) {
      case 'delivered': {
        const done: DeliveryStatus = { ...updated, state: 'delivered', lastError: undefined, nextAttemptAt: undefined };
        await Promise.all([
          deps.statuses.set(task.activityId, task.inbox, done),
          deps.ordering.release(task.orderingKey, task.activityId, task.inbox),
          deps.archive.add({ ...done, activityId: task.activityId, inbox: task.inbox }),
          this.emitOutcome(task, host, { statusCode: classification.status, latencyMs: attemptRecord.latencyMs, outcome: 'delivered' }),
        ]);
        deps.onDelivered?.(task, finished - Date.parse(task.queuedAt));
        return 'delivered';
      }
      case 'retry': {
        const outcome = { statusCode: classification.status, latencyMs: attemptRecord.latencyMs, errorClass: classification.errorClass };
        const retry = nextRetry({
          activityType: task.activityType,
          undoTargetType: task.undoTargetType,
          attempt: task.attempt,
          firstAttemptAt: Date.parse(task.queuedAt),
          now: finished,
          random: () => deps.clock.random(),
          retryAfterMs: classification.retryAfterMs,
          config: deps.settings.retry,
        });
        if (retry.kind === 'give-up') {
          const result = await this.deadLetter(command, { ...updated, lastError: classification.errorClass }, host, retry.giveUp, classification.errorClass);
          await this.emitOutcome(task, host, { ...outcome, outcome: 'permanent' });
          return result;
        }
        const next: DeliveryTaskPayload = { ...task, attempt: retry.nextAttempt };
        await deps.delayed.schedule([
          { id: taskMessageId(task.activityId, task.inbox, retry.nextAttempt), payload: next, priority: command.priority, traceId: command.traceId, dueAt: retry.retryAt },
        ]);
        await deps.statuses.set(task.activityId, task.inbox, { ...updated, state: 'retrying', lastError: classification.errorClass, nextAttemptAt: retry.retryAt });
        await this.emitOutcome(task, host, { ...outcome, outcome: 'retryable' });
        return 'retry-scheduled';
      }
      case 'permanent': {
        if (classification.actorGone) {
          const removed = await deps.followers.removeByInbox(task.inbox);
          this.logger.log(`${task.inbox} answered 410 Gone: ${removed} follower(s) removed from the projection`);
        }
        const result = await this.deadLetter(command, { ...updated, lastError: classification.errorClass }, host, 'permanent', classification.errorClass);
        await this.emitOutcome(task, host, { statusCode: classification.status, latencyMs: attemptRecord.latencyMs, outcome: 'permanent', errorClass: classification.errorClass });
        return result;
      }
    }
  }

  private async defer(command: DeliverTaskCommand, current: DeliveryStatus, dueAt: number, host: string): Promise<void> {
    const { deps } = this;
    await deps.delayed.schedule([{ id: randomUUID(), payload: command.task, priority: command.priority, traceId: command.traceId, dueAt }]);
    await deps.statuses.set(command.task.activityId, command.task.inbox, { ...current, host, state: 'deferred', nextAttemptAt: dueAt, updatedAt: deps.clock.now() });
  }

  private async deadLetter(command: DeliverTaskCommand, status: DeliveryStatus, host: string, reason: string, lastError: string): Promise<'dead'> {
    const { deps } = this;
    const { task } = command;
    const now = deps.clock.now();
    await deps.deadLetters.add({ task, host, priority: command.priority, reason, lastError, lastStatus: status.lastStatus, history: status.history, deadAt: now });
    const dead: DeliveryStatus = { ...status, state: 'dead', lastError: `${reason}: ${lastError}`, nextAttemptAt: undefined, updatedAt: now };
    await Promise.all([
      deps.statuses.set(task.activityId, task.inbox, dead),
      deps.ordering.release(task.orderingKey, task.activityId, task.inbox),
      deps.archive.add({ ...dead, activityId: task.activityId, inbox: task.inbox }),
    ]);
    return 'dead';
  }

  private async emitOutcome(
    task: DeliveryTaskPayload,
    host: string,
    fields: { statusCode?: number; latencyMs: number; outcome: OutcomeClass; errorClass?: string },
  ): Promise<void> {
    await this.deps.outcomes.add({
      priority: 'medium',
      payload: {
        host,
        inboxUrl: task.inbox,
        activityType: task.activityType,
        latencyMs: fields.latencyMs,
        attempt: task.attempt,
        outcome: fields.outcome,
        ...(fields.statusCode === undefined ? {} : { statusCode: fields.statusCode }),
        ...(fields.errorClass === undefined || fields.errorClass === 'none' ? {} : { errorClass: fields.errorClass }),
      },
    });
  }
}
