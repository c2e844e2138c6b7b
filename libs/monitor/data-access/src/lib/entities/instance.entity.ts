import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One remote host: the domain states as stored JSON (the source of truth, parsed back through the
 * domain lib) plus columns derived from them on every write, so admins can filter and sort in SQL.
 */
@Entity({ name: 'instances' })
@Index('instances_status_idx', ['status'])
@Index('instances_failure_rate_idx', ['failureRate'])
@Index('instances_open_until_idx', ['openUntil'])
@Check('instances_status_check', `"status" IN ('closed', 'open', 'half-open', 'blocked')`)
export class InstanceEntity {
  @PrimaryColumn({ type: 'varchar', length: 261, name: 'host', primaryKeyConstraintName: 'instances_pkey' })
  host!: string;

  /** Effective status as delivery sees it (a block wins over the circuit). */
  @Column({ type: 'varchar', length: 16, name: 'status' })
  status!: string;

  @Column({ type: 'jsonb', name: 'circuit' })
  circuit!: object;

  @Column({ type: 'jsonb', name: 'health' })
  health!: object;

  @Column({ type: 'jsonb', name: 'availability' })
  availability!: object;

  /** failure / attempts over the last hour; null without attempts. */
  @Column({ type: 'double precision', name: 'failure_rate', nullable: true })
  failureRate!: number | null;

  @Column({ type: 'int', name: 'attempts_1h', default: 0 })
  attempts1h!: number;

  @Column({ type: 'int', name: 'consecutive_failures', default: 0 })
  consecutiveFailures!: number;

  /** When an open circuit turns half-open; the recovery timer selects on it. */
  @Column({ type: 'timestamptz', name: 'open_until', nullable: true })
  openUntil!: Date | null;

  @Column({ type: 'timestamptz', name: 'last_success_at', nullable: true })
  lastSuccessAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'last_failure_at', nullable: true })
  lastFailureAt!: Date | null;

  @Column({ type: 'boolean', name: 'unavailable', default: false })
  unavailable!: boolean;

  @Column({ type: 'timestamptz', name: 'unavailable_since', nullable: true })
  unavailableSince!: Date | null;

  @Column({ type: 'boolean', name: 'blocked', default: false })
  blocked!: boolean;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
