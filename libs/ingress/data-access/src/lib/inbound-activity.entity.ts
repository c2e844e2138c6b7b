import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Activities recorded as received without an effect of their own: unknown types and Announces. */
@Entity({ name: 'inbound_activities' })
@Index('inbound_activities_actor_id_idx', ['actorId'])
export class InboundActivityEntity {
  @PrimaryColumn({ type: 'varchar', length: 2048, name: 'activity_id', primaryKeyConstraintName: 'inbound_activities_pkey' })
  activityId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ type: 'varchar', length: 2048, name: 'actor_id' })
  actorId!: string;

  @Column({ type: 'jsonb' })
  activity!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz', name: 'received_at' })
  receivedAt!: Date;
}
