import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  type ActivityStoreRepository,
  type StoredActivity,
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
  type RateDecision,
  type SendGateRepository,
  type StreamEntry,
  TERMINAL_STATES,
} from '@peerfed/delivery/data-access';
import { classifyOutcome, nextRetry, type OutcomeClassification } from '@peerfed/delivery/domain';
import { ACTIVITY_JSON, contentDigestHeader, digestHeader, signRequest, type SignRequestOptions } from '@peerfed/shared/activitypub';
import { type ActorSigningKey } from '@peerfed/shared/actor-keys';
import {
  type CircuitSnapshot,
  type DeliveryOutcomePayload,
  type DeliveryTaskPayload,
  type OutcomeClass,
  type Priority,
  type SignatureSchemeChoice,
  circuitAllowsDelivery,
  circuitRetryAt,
} from '@peerfed/shared/contracts';
import { boundedMemo } from '@peerfed/shared/util';
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
  archive: Pick<GroupCommit<DeliveryRecord>, 'add'>;
  deadLetters: DeadLetterStoreRepository;
  delayed: DelayedTasksRepository;
  /** The global rate limit (GlobalRateLease); undefined: none. */
  globalRate?: { take(): Promise<RateDecision> };
  followers: FollowerProjectionRepository;
  /** Tells ingress that an inbox answered 410 Gone (delivery.gone.v1), so the actor behind it is forgotten there too. */
  goneInboxes: { report(inbox: string, activityId: string): Promise<void> };
  ordering: OrderingGateRepository;
  /** Order check and per-host rate limit before a send, one script per task. */
  gate: SendGateRepository;
  /** delivery.outcomes.v1 events, written in group commits. */
  outcomes: Pick<GroupCommit<StreamEntry<DeliveryOutcomePayload>>, 'add'>;
  circuits: { get(host: string): CircuitSnapshot | undefined };
  keys: { signingKeyOf(actorId: string): Promise<ActorSigningKey | undefined> };
  /** Which scheme a host gets (SignatureSchemesRepository); undefined: draft-cavage for all. */
  schemes?: SignatureSchemes;
  poster: InboxPoster;
  slots: HostSlots;
  settings: DeliverySettings;
  clock: DeliveryClock;
  /** Called once per delivered task with the time since fan-out queued it (metrics, benchmarks). */
  onDelivered?: (task: DeliveryTaskPayload, queueToDeliveredMs: number) => void;
}

export interface SignatureSchemes {
  schemeFor(host: string): SignatureSchemeChoice;
  markRfc9421Refused(host: string): Promise<void>;
}

/** What a server that cannot verify an RFC 9421 signature answers; draft-cavage is then tried at once. */
const SCHEME_REFUSALS: ReadonlySet<number> = new Set([400, 401]);
const SLOT_DEFER_MS = 250;
/** A task behind another one of its object re-checks no sooner than this, and 1 s when the head has no retry time. */
const ORDER_RECHECK_MS = 250;

/**
 * One try of one delivery task (delivery.tasks.v1). Nothing is ever dropped: a task is either
 * delivered, dead-lettered, or written back to the delayed set (retry or deferral), and only then
 * does this resolve, so the transport acknowledges the stream entry after the durable write.
 *
 * Order of checks: final status (a duplicate task) -> circuit -> a host slot of this process ->
 * per-object order (the earlier activity about the same object at this host goes first), the host's
 * slots over all replicas and the per-host rate limit, one script -> global rate limit -> sign at
 * send time -> POST -> classify.
 */
export class DeliverTaskUseCase {
  private readonly logger = new Logger(DeliverTaskUseCase.name);

  constructor(private readonly deps: DeliveryWorkerDeps) {}

  async execute(command: DeliverTaskCommand): Promise<DeliverTaskResult> {
    const { task } = command;
    const { deps } = this;
    const host = hostOf(task.inbox);
    const ref = { host, orderingKey: task.orderingKey, activityId: task.activityId, inbox: task.inbox };
    const status = await deps.statuses.get(task.activityId, task.inbox);
    // Done already, by this task or a copy of it. A final status older than the task is not its
    // end: a replay queues a new task after the dead letter, and the worker that wrote the dead
    // letter may store its final status only just after the replay did.
    if (status && TERMINAL_STATES.has(status.state) && status.updatedAt >= Date.parse(task.queuedAt)) {
      await deps.ordering.release(ref);
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

    const release = await deps.slots.acquire(host, deps.settings.hostSlotWaitMs);
    if (!release) {
      await this.defer(command, current, deps.clock.now() + SLOT_DEFER_MS, host);
      return 'deferred';
    }
    let lease: string | undefined;
    try {
      const admitted = deps.clock.now();
      const verdict = await deps.gate.admit(ref, deps.settings.perHostLimit, admitted, { limit: deps.settings.maxConcurrentPerHost, leaseMs: deps.settings.inFlightLeaseMs });
      switch (verdict.kind) {
        case 'behind': {
          const headStatus = await deps.statuses.get(verdict.activityId, verdict.inbox);
          await this.defer(command, current, Math.max(admitted + ORDER_RECHECK_MS, (headStatus?.nextAttemptAt ?? admitted + 1000) + 1), host);
          return 'deferred';
        }
        case 'busy':
          // Other replicas hold the host's slots: try again shortly, as when this replica's are taken.
          await this.defer(command, current, deps.clock.now() + SLOT_DEFER_MS, host);
          return 'deferred';
        case 'limited':
          await this.defer(command, current, deps.clock.now() + verdict.retryInMs, host);
          return 'deferred';
        case 'go':
          lease = verdict.lease;
      }
      if (deps.globalRate) {
        // A global denial wastes the host request just taken: the limit only gets stricter, never exceeded.
        const global = await deps.globalRate.take();
        if (!global.allowed) {
          await this.defer(command, current, deps.clock.now() + global.retryInMs, host);
          return 'deferred';
        }
      }
      return await this.send(command, current, host);
    } finally {
      // The shared slot goes back before the local one, so a local waiter never finds it still taken.
      if (lease) await this.leave(host, lease);
      release();
    }
  }

  /** A slot not handed back (Redis unreachable) lapses with its lease; the task's outcome stands. */
  private async leave(host: string, lease: string): Promise<void> {
    try {
      await this.deps.gate.leave(host, lease);
    } catch (error) {
      this.logger.warn(`${host}: in-flight slot not handed back, it lapses with its lease: ${error instanceof Error ? error.message : String(error)}`);
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
      let scheme = deps.schemes?.schemeFor(host) ?? 'cavage';
      let response = await this.signAndPost(task.inbox, activity, key, scheme);
      if (scheme === 'rfc9421' && SCHEME_REFUSALS.has(response.status) && deps.schemes) {
        // Double knock: the host did not take RFC 9421; every replica signs draft-cavage for it from now on.
        await deps.schemes.markRfc9421Refused(host);
        this.logger.log(`${host} answered ${response.status} to an RFC 9421 signature: draft-cavage from now on`);
        scheme = 'cavage';
        response = await this.signAndPost(task.inbox, activity, key, scheme);
      }
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
        await this.finish(task, host, done, { statusCode: classification.status, latencyMs: attemptRecord.latencyMs, outcome: 'delivered' });
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
          return this.deadLetter(command, { ...updated, lastError: classification.errorClass }, host, retry.giveUp, classification.errorClass, { ...outcome, outcome: 'permanent' });
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
          await deps.goneInboxes.report(task.inbox, task.activityId);
          this.logger.log(`${task.inbox} answered 410 Gone: ${removed} follower(s) removed from the projection, reported to ingress`);
        }
        return this.deadLetter(command, { ...updated, lastError: classification.errorClass }, host, 'permanent', classification.errorClass, {
          statusCode: classification.status,
          latencyMs: attemptRecord.latencyMs,
          outcome: 'permanent',
          errorClass: classification.errorClass,
        });
      }
    }
  }

  private signAndPost(inbox: string, activity: StoredActivity, key: ActorSigningKey, scheme: SignatureSchemeChoice): ReturnType<InboxPoster['post']> {
    const body = activity.json;
    const headers = signRequest({
      method: 'POST',
      url: inbox,
      headers: SIGNED_HEADERS,
      body,
      keyId: key.keyId,
      privateKey: key.privateKey,
      // Signed with the wall clock, not the injected one: the Date header must be fresh at the remote.
      scheme,
      bodyDigests: digestsOf(activity, scheme),
    });
    headers['content-type'] = ACTIVITY_JSON;
    headers['accept'] = ACTIVITY_JSON;
    return this.deps.poster.post(inbox, { headers, body, discardBody: true });
  }

  private async defer(command: DeliverTaskCommand, current: DeliveryStatus, dueAt: number, host: string): Promise<void> {
    const { deps } = this;
    await deps.delayed.schedule([{ id: randomUUID(), payload: command.task, priority: command.priority, traceId: command.traceId, dueAt }]);
    await deps.statuses.set(command.task.activityId, command.task.inbox, { ...current, host, state: 'deferred', nextAttemptAt: dueAt, updatedAt: deps.clock.now() });
  }

  private async deadLetter(command: DeliverTaskCommand, status: DeliveryStatus, host: string, reason: string, lastError: string, outcome?: OutcomeFields): Promise<'dead'> {
    const { deps } = this;
    const { task } = command;
    const now = deps.clock.now();
    await deps.deadLetters.add({ task, host, priority: command.priority, reason, lastError, lastStatus: status.lastStatus, history: status.history, deadAt: now });
    const dead: DeliveryStatus = { ...status, state: 'dead', lastError: `${reason}: ${lastError}`, nextAttemptAt: undefined, updatedAt: now };
    await this.finish(task, host, dead, outcome);
    return 'dead';
  }

  /**
   * Ends a task as delivered or dead. The terminal status is what makes a re-run skip the task, so it
   * is written last, once the archive row, the outcome event and the order release are durable: a
   * worker killed in between leaves a task that runs again (an at-least-once re-send), never one
   * whose archive row or outcome is lost.
   */
  private async finish(task: DeliveryTaskPayload, host: string, final: DeliveryStatus, outcome?: OutcomeFields): Promise<void> {
    const { deps } = this;
    await Promise.all([
      deps.ordering.release({ host, orderingKey: task.orderingKey, activityId: task.activityId, inbox: task.inbox }),
      deps.archive.add({ ...final, activityId: task.activityId, inbox: task.inbox }),
      outcome && this.emitOutcome(task, host, outcome),
    ]);
    await deps.statuses.set(task.activityId, task.inbox, final);
  }

  private async emitOutcome(task: DeliveryTaskPayload, host: string, fields: OutcomeFields): Promise<void> {
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

interface OutcomeFields {
  statusCode?: number;
  latencyMs: number;
  outcome: OutcomeClass;
  errorClass?: string;
}

const SIGNED_HEADERS: Readonly<Record<string, string>> = { 'content-type': ACTIVITY_JSON };

// One body goes to every destination of its activity: hash it once per scheme, not once per send.
// Keyed by the cached activity object, so an entry lives as long as the activity store keeps it.
const digests = new WeakMap<StoredActivity, { digest?: string; contentDigest?: string }>();
function digestsOf(activity: StoredActivity, scheme: SignatureSchemeChoice): SignRequestOptions['bodyDigests'] {
  let known = digests.get(activity);
  if (!known) {
    known = {};
    digests.set(activity, known);
  }
  if (scheme === 'cavage') known.digest ??= digestHeader(activity.json);
  else known.contentDigest ??= contentDigestHeader(activity.json);
  return known;
}

// Destination hosts recur on every task: parse each inbox URL's host once.
const hostOf = boundedMemo((inbox: string) => new URL(inbox).host);
