import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The archive of a finished delivery (one activity to one inbox): delivered or dead, with its attempts. */
@Entity({ name: 'delivery_records' })
@Check('delivery_records_state_check', `"state" IN ('delivered', 'dead')`)
export class DeliveryRecordEntity {
  @PrimaryColumn({ type: 'varchar', name: 'activity_id', primaryKeyConstraintName: 'delivery_records_pkey' })
  activityId!: string;

  @PrimaryColumn({ type: 'varchar', primaryKeyConstraintName: 'delivery_records_pkey' })
  inbox!: string;

  @Column({ type: 'varchar' })
  host!: string;

  @Column({ type: 'varchar', name: 'activity_type' })
  activityType!: string;

  @Column({ type: 'varchar' })
  state!: 'delivered' | 'dead';

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'integer', name: 'last_status', nullable: true })
  lastStatus!: number | null;

  @Column({ type: 'varchar', name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column({ type: 'jsonb' })
  history!: unknown[];

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
