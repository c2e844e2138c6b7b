import { Injectable, Logger } from '@nestjs/common';
import { type HostChange, type HostStates, HostStateService } from '@peerfed/monitor/data-access';
import { initialAvailability, recordContact } from '@peerfed/monitor/domain';
import { quoteSchema, schemaOf } from '@peerfed/platform/database';
import { DataSource } from 'typeorm';

/**
 * Records that a remote host contacted us (an accepted inbound activity): clears its unavailable
 * mark and its failure days. Only hosts we already track with something to clear are touched; a
 * remote we never delivered to gets no row, and an available host costs one primary-key lookup.
 * Naturally idempotent (clearing twice is harmless), so no processed-message row is kept.
 */
@Injectable()
export class RecordContactUsecase {
  private readonly logger = new Logger(RecordContactUsecase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly hosts: HostStateService,
  ) {}

  /** The host of an actor URL, normalised like every host of the monitor; null when it has none. */
  static hostOf(actorId: string): string | null {
    try {
      // initialAvailability applies the domain's host normalisation (lowercase, host[:port]) and validation.
      return initialAvailability(new URL(actorId).host).host;
    } catch {
      return null;
    }
  }

  /** Returns the hosts whose unavailable mark was cleared. */
  async execute(hosts: readonly string[]): Promise<string[]> {
    const candidates = await this.tracked(hosts);
    if (candidates.length === 0) return [];
    // applyManyIn re-reads each row under its lock, so a concurrent change is not overwritten.
    const changes = await this.dataSource.transaction((manager) =>
      this.hosts.applyManyIn(manager, candidates, (_host, current, now) => this.contact(current, now)),
    );
    const cleared = changes.filter((c) => c.availabilityChanged).map((c) => c.snapshot.host);
    for (const host of cleared) this.logger.warn({ msg: 'host available again', host, source: 'inbound-request' });
    return cleared;
  }

  /** Tracked hosts with failure days or the mark (only these can change). */
  private async tracked(hosts: readonly string[]): Promise<string[]> {
    const keys = [...new Set(hosts)];
    if (keys.length === 0) return [];
    const table = `${quoteSchema(schemaOf(this.dataSource))}."instances"`;
    const rows: { host: string }[] = await this.dataSource.query(
      `SELECT "host" FROM ${table} WHERE "host" = ANY($1::varchar[]) AND ("unavailable" OR jsonb_array_length("availability"->'failureDays') > 0)`,
      [keys],
    );
    return rows.map((row) => row.host);
  }

  private contact(current: HostStates, now: number): HostChange {
    const result = recordContact(current.availability, now, 'inbound-request');
    return { states: { ...current, availability: result.state }, transitions: [], availabilityChanged: result.events.length > 0 };
  }
}
