import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A published activity, stored once; every delivery task of it loads the body from here. */
@Entity({ name: 'activities' })
export class StoredActivityEntity {
  @PrimaryColumn({ type: 'varchar', name: 'activity_id', primaryKeyConstraintName: 'activities_pkey' })
  activityId!: string;

  @Column({ type: 'varchar', name: 'actor_id' })
  actorId!: string;

  @Column({ type: 'varchar', name: 'activity_type' })
  activityType!: string;

  @Column({ type: 'jsonb' })
  body!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
