import { Inject, Injectable } from '@nestjs/common';
import {
  type CircuitConfig,
  emptyInstanceHealth,
  initialAvailability,
  initialCircuitState,
} from '@peerfed/monitor/domain';
import { DataSource, type EntityManager, In } from 'typeorm';
import { type AuditEntry, AuditLogRepository } from './audit-log.repository';
import { CircuitPublisher } from './circuit-publisher.service';
import { CircuitTransitionEntity } from './entities/circuit-transition.entity';
import { InstanceEntity } from './entities/instance.entity';
import { circuitSnapshot, rowOf, statesOf } from './host-row.util';
import { type HostChange, type HostChangeResult, type HostStates } from './host-states.types';
import { CIRCUIT_CONFIG, MONITOR_CLOCK, type MonitorClock } from './monitor-tokens.util';

export type HostChangeFn = (current: HostStates, now: number) => HostChange;

/**
 * The one place a host's states change: row lock, domain function, derived columns, transition
 * history and audit in one transaction; the snapshot is published after the commit.
 */
@Injectable()
export class HostStateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogRepository,
    private readonly publisher: CircuitPublisher,
    @Inject(CIRCUIT_CONFIG) private readonly config: CircuitConfig,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
  ) {}

  /**
   * Applies `change` inside the caller's transaction (a consumer's batch). The caller publishes
   * `result.snapshot` after its commit when `result.transitions` is not empty.
   */
  async applyIn(manager: EntityManager, host: string, change: HostChangeFn, auditEntry?: Omit<AuditEntry, 'at'>): Promise<HostChangeResult> {
    const [result] = await this.applyManyIn(manager, [host], (_host, current, now) => change(current, now));
    if (auditEntry) await this.audit.append(manager, { ...auditEntry, at: this.clock.now() });
    return result;
  }

  /**
   * Changes several hosts in three statements whatever their number: create missing rows, lock
   * all rows in host order (so concurrent batches cannot deadlock), write them back in one upsert.
   */
  async applyManyIn(manager: EntityManager, hosts: readonly string[], change: (host: string, current: HostStates, now: number) => HostChange): Promise<HostChangeResult[]> {
    const now = this.clock.now();
    const keys = [...new Set(hosts.map((h) => h.trim().toLowerCase()))].sort();
    if (keys.length === 0) return [];
    const repository = manager.getRepository(InstanceEntity);
    const fresh = keys.map((host) => rowOf({ circuit: initialCircuitState(host, now), health: emptyInstanceHealth(host), availability: initialAvailability(host) }, now, this.config));
    // A concurrent first outcome for the same host may insert first: then we lock its row.
    await repository.createQueryBuilder().insert().values(fresh).orIgnore().execute();
    const rows = await repository.find({ where: { host: In(keys) }, order: { host: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    const results = rows.map((row) => {
      const next = change(row.host, statesOf(row), now);
      return { ...next, snapshot: circuitSnapshot(next.states.circuit, now, this.config) };
    });
    await repository.upsert(results.map((r) => rowOf(r.states, now, this.config)), { conflictPaths: ['host'], skipUpdateIfNoValuesChanged: false });
    const transitions = results.flatMap((r) =>
      r.transitions.map((t) => ({
        host: r.states.circuit.host, fromStatus: t.from, toStatus: t.to, reason: t.reason, actor: t.actor ?? null, note: t.note ?? null, at: new Date(t.at),
      })),
    );
    if (transitions.length > 0) await manager.getRepository(CircuitTransitionEntity).insert(transitions);
    return results;
  }

  /**
   * Applies `change` in its own transaction and always publishes the resulting snapshot (so a
   * repeated admin action also repairs a snapshot whose earlier publication failed).
   */
  async apply(host: string, change: HostChangeFn, auditEntry?: Omit<AuditEntry, 'at'>): Promise<HostChangeResult> {
    const result = await this.dataSource.transaction((manager) => this.applyIn(manager, host, change, auditEntry));
    await this.publisher.publish(result.snapshot);
    return result;
  }

  /** Re-publishes the stored state of a host (after a redelivered message whose publish may have failed). */
  async republish(host: string): Promise<void> {
    const row = await this.dataSource.getRepository(InstanceEntity).findOneBy({ host: host.trim().toLowerCase() });
    if (row) await this.publisher.publish(circuitSnapshot(statesOf(row).circuit, this.clock.now(), this.config));
  }

  publish(result: HostChangeResult): Promise<void> {
    return this.publisher.publish(result.snapshot);
  }
}
