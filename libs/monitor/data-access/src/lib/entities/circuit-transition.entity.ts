import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** History of every circuit change of a host, automatic or manual (append-only). */
@Entity({ name: 'circuit_transitions' })
@Index('circuit_transitions_host_at_idx', ['host', 'at'])
export class CircuitTransitionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'circuit_transitions_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 261, name: 'host' })
  host!: string;

  @Column({ type: 'varchar', length: 16, name: 'from_status' })
  fromStatus!: string;

  @Column({ type: 'varchar', length: 16, name: 'to_status' })
  toStatus!: string;

  @Column({ type: 'varchar', length: 32, name: 'reason' })
  reason!: string;

  @Column({ type: 'varchar', length: 128, name: 'actor', nullable: true })
  actor!: string | null;

  @Column({ type: 'text', name: 'note', nullable: true })
  note!: string | null;

  @Column({ type: 'timestamptz', name: 'at' })
  at!: Date;
}
