import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One delivery attempt as reported on delivery.outcomes.v1, kept for host details and audits. */
@Entity({ name: 'delivery_records' })
@Index('delivery_records_host_at_idx', ['host', 'at'])
@Index('delivery_records_at_idx', ['at'])
export class DeliveryRecordEntity {
  /** The outcome message's envelope id: a redelivered message cannot add a second row. */
  @PrimaryColumn({ type: 'uuid', name: 'message_id', primaryKeyConstraintName: 'delivery_records_pkey' })
  messageId!: string;

  @Column({ type: 'varchar', length: 261, name: 'host' })
  host!: string;

  @Column({ type: 'text', name: 'inbox_url' })
  inboxUrl!: string;

  @Column({ type: 'varchar', length: 64, name: 'activity_type' })
  activityType!: string;

  @Column({ type: 'int', name: 'status_code', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'int', name: 'latency_ms' })
  latencyMs!: number;

  @Column({ type: 'int', name: 'attempt' })
  attempt!: number;

  /** delivered, retryable, permanent, deferred. */
  @Column({ type: 'varchar', length: 16, name: 'outcome' })
  outcome!: string;

  @Column({ type: 'varchar', length: 64, name: 'error_class', nullable: true })
  errorClass!: string | null;

  @Column({ type: 'timestamptz', name: 'at' })
  at!: Date;
}
