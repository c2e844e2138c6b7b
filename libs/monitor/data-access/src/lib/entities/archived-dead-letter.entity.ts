import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A dead letter copied out of Redis by the lifecycle job before it is trimmed away. */
@Entity({ name: 'archived_dead_letters' })
@Index('archived_dead_letters_dead_at_idx', ['deadAt'])
export class ArchivedDeadLetterEntity {
  @PrimaryColumn({ type: 'varchar', length: 256, name: 'stream', primaryKeyConstraintName: 'archived_dead_letters_pkey' })
  stream!: string;

  /** Entry id in the dead-letter stream. */
  @PrimaryColumn({ type: 'varchar', length: 64, name: 'entry_id', primaryKeyConstraintName: 'archived_dead_letters_pkey' })
  entryId!: string;

  @Column({ type: 'varchar', length: 128, name: 'group_name' })
  groupName!: string;

  @Column({ type: 'varchar', length: 16, name: 'priority' })
  priority!: string;

  @Column({ type: 'varchar', length: 64, name: 'reason' })
  reason!: string;

  @Column({ type: 'text', name: 'error' })
  error!: string;

  @Column({ type: 'int', name: 'deliveries' })
  deliveries!: number;

  @Column({ type: 'timestamptz', name: 'dead_at', nullable: true })
  deadAt!: Date | null;

  @Column({ type: 'varchar', length: 128, name: 'message_type', nullable: true })
  messageType!: string | null;

  /** The original envelope as it was stored (may be invalid JSON: that is often why it died). */
  @Column({ type: 'text', name: 'envelope' })
  envelope!: string;

  @Column({ type: 'timestamptz', name: 'archived_at' })
  archivedAt!: Date;
}
