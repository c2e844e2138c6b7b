import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A delivery given up on: why, its last error and status, every attempt, and the task to replay. */
@Entity({ name: 'dead_letters' })
@Index('dead_letters_host_idx', ['host', 'deadAt'])
@Index('dead_letters_activity_idx', ['activityId'])
@Check('dead_letters_priority_check', `"priority" IN ('critical', 'high', 'medium', 'low')`)
export class DeadLetterEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'dead_letters_pkey' })
  id!: string;

  @Column({ type: 'varchar', name: 'activity_id' })
  activityId!: string;

  @Column({ type: 'varchar', name: 'activity_type' })
  activityType!: string;

  @Column({ type: 'varchar', name: 'actor_id' })
  actorId!: string;

  @Column({ type: 'varchar' })
  inbox!: string;

  @Column({ type: 'varchar' })
  host!: string;

  @Column({ type: 'varchar' })
  priority!: string;

  @Column({ type: 'varchar' })
  reason!: string;

  @Column({ type: 'varchar', name: 'last_error' })
  lastError!: string;

  @Column({ type: 'integer', name: 'last_status', nullable: true })
  lastStatus!: number | null;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'jsonb' })
  history!: unknown[];

  @Column({ type: 'jsonb' })
  task!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'dead_at' })
  deadAt!: Date;
}
