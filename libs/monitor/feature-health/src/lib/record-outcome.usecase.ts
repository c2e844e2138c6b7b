import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CIRCUIT_CONFIG,
  type DeliveryRecordEntity,
  DeliveryRecordRepository,
  type HostChange,
  type HostStates,
  HostStateService,
  MONITOR_CLOCK,
  type MonitorClock,
} from '@peerfed/monitor/data-access';
import { applyAvailabilityOutcome, applyOutcome, type CircuitConfig, type CircuitTransition, type HostOutcome, recordHealthOutcome } from '@peerfed/monitor/domain';
import { quoteSchema, schemaOf } from '@peerfed/platform/database';
import { type DeliveryOutcomePayload } from '@peerfed/shared/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { hostOutcomeOf } from './host-outcome.util';

export const OUTCOME_CONSUMER = 'monitor.record-outcome';

export interface RecordOutcomeCommand {
  /** The envelope id: the idempotency key. */
  readonly messageId: string;
  readonly payload: DeliveryOutcomePayload;
  /** When delivery recorded the outcome (its envelope's createdAt, epoch ms); the monitor's clock when absent. */
  readonly occurredAt?: number;
}

export type RecordOutcomeResult = 'applied' | 'duplicate' | 'recorded-only';

/**
 * Applies delivery outcomes to their hosts (circuit, health windows, unavailable rule) and keeps a
 * delivery record of each, exactly once per message: the processed-message rows and the effects
 * commit in ONE transaction per batch. Hosts are locked in sorted order, so concurrent batches on
 * several replicas cannot deadlock. Circuit changes are published after the commit.
 */
@Injectable()
export class RecordOutcomeUsecase {
  private readonly logger = new Logger(RecordOutcomeUsecase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly hosts: HostStateService,
    private readonly records: DeliveryRecordRepository,
    @Inject(CIRCUIT_CONFIG) private readonly config: CircuitConfig,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
  ) {}

  async execute(command: RecordOutcomeCommand): Promise<RecordOutcomeResult> {
    return (await this.executeBatch([command]))[0];
  }

  /** Results in the order of `commands`. Outcomes of one host apply in the order given. */
  async executeBatch(commands: readonly RecordOutcomeCommand[]): Promise<RecordOutcomeResult[]> {
    const { results, changes, duplicateHosts } = await this.dataSource.transaction((manager) => this.apply(manager, commands));
    for (const change of changes) {
      if (change.transitions.length === 0) continue;
      await this.hosts.publish(change);
      for (const t of change.transitions) this.logger.log({ msg: 'circuit changed', host: change.snapshot.host, from: t.from, to: t.to, reason: t.reason });
    }
    // A duplicate's first run committed, but its publication may have failed before the ack: repeat it.
    for (const host of duplicateHosts) await this.hosts.republish(host);
    for (const change of changes.filter((c) => c.availabilityChanged)) {
      this.logger.warn({ msg: change.states.availability.unavailable ? 'host marked unavailable' : 'host available again', host: change.snapshot.host });
    }
    return results;
  }

  private async apply(manager: EntityManager, commands: readonly RecordOutcomeCommand[]) {
    const fresh = await this.claim(manager, commands);
    const results: RecordOutcomeResult[] = commands.map((c, i) => (fresh.has(i) ? (hostOutcomeOf(c.payload) === null ? 'recorded-only' : 'applied') : 'duplicate'));
    const now = this.clock.now();
    const byHost = new Map<string, Array<{ outcome: HostOutcome; payload: DeliveryOutcomePayload }>>();
    const records: DeliveryRecordEntity[] = [];
    for (const i of [...fresh].sort((a, b) => a - b)) {
      const { messageId, payload, occurredAt } = commands[i];
      const host = payload.host.toLowerCase();
      records.push({
        messageId, host, inboxUrl: payload.inboxUrl, activityType: payload.activityType, statusCode: payload.statusCode ?? null,
        latencyMs: payload.latencyMs, attempt: payload.attempt, outcome: payload.outcome, errorClass: payload.errorClass ?? null, at: new Date(recordedAt(occurredAt, now)),
      });
      const outcome = hostOutcomeOf(payload);
      if (outcome !== null) byHost.set(host, [...(byHost.get(host) ?? []), { outcome, payload }]);
    }
    await this.records.insertMany(manager, records);
    const changes = await this.hosts.applyManyIn(manager, [...byHost.keys()], (host, current, at) => this.fold(current, byHost.get(host) ?? [], at));
    const duplicateHosts = [...new Set(commands.filter((_, i) => !fresh.has(i)).map((c) => c.payload.host.toLowerCase()))];
    return { results, changes, duplicateHosts };
  }

  /** Inserts the processed-message rows; returns the indexes of the commands seen for the first time. */
  private async claim(manager: EntityManager, commands: readonly RecordOutcomeCommand[]): Promise<Set<number>> {
    const table = `${quoteSchema(schemaOf(this.dataSource))}."processed_messages"`;
    const ids = [...new Set(commands.map((c) => c.messageId))];
    const rows: { message_id: string }[] = await manager.query(
      `INSERT INTO ${table} ("consumer", "message_id") SELECT $1, unnest($2::varchar[]) ON CONFLICT DO NOTHING RETURNING "message_id"`,
      [OUTCOME_CONSUMER, ids],
    );
    const inserted = new Set(rows.map((row) => row.message_id));
    const fresh = new Set<number>();
    commands.forEach((c, i) => {
      // The same message twice in one batch: only its first copy counts.
      if (inserted.delete(c.messageId)) fresh.add(i);
    });
    return fresh;
  }

  private fold(current: HostStates, outcomes: ReadonlyArray<{ outcome: HostOutcome; payload: DeliveryOutcomePayload }>, now: number): HostChange {
    let { circuit, health, availability } = current;
    const transitions: CircuitTransition[] = [];
    let availabilityChanged = false;
    for (const { outcome, payload } of outcomes) {
      const result = applyOutcome(circuit, outcome, now, this.config);
      circuit = result.state;
      transitions.push(...result.transitions);
      const available = applyAvailabilityOutcome(availability, outcome, now);
      availability = available.state;
      availabilityChanged ||= available.events.length > 0;
      // Only a measured answer is a latency sample (a timeout has no response time).
      health = recordHealthOutcome(health, { outcome, responseTimeMs: payload.statusCode === undefined ? undefined : payload.latencyMs }, now);
    }
    return { states: { circuit, health, availability }, transitions, availabilityChanged };
  }
}

/** A record is dated when its outcome happened, but never later than now (a sender's clock may run ahead). */
function recordedAt(occurredAt: number | undefined, now: number): number {
  return occurredAt !== undefined && Number.isFinite(occurredAt) ? Math.min(occurredAt, now) : now;
}
