import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to what, why and when. A trigger (see the migration) forbids UPDATE and DELETE. */
@Entity({ name: 'admin_audit' })
@Index('admin_audit_at_idx', ['at'])
export class AdminAuditEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'admin_audit_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 128, name: 'actor' })
  actor!: string;

  /** e.g. instance.reset, instance.block, dead-letters.replay. */
  @Column({ type: 'varchar', length: 64, name: 'action' })
  action!: string;

  @Column({ type: 'varchar', length: 512, name: 'target' })
  target!: string;

  @Column({ type: 'text', name: 'reason' })
  reason!: string;

  @Column({ type: 'jsonb', name: 'details', default: () => `'{}'` })
  details!: object;

  @Column({ type: 'timestamptz', name: 'at' })
  at!: Date;
}
