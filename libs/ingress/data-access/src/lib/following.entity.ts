import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const FOLLOWING_STATES = ['pending', 'accepted', 'rejected'] as const;
export type FollowingState = (typeof FOLLOWING_STATES)[number];

/** A follow one of our local actors sent; the remote side answers it with Accept or Reject. */
@Entity({ name: 'following' })
@Check('following_state_check', `"state" IN ('pending', 'accepted', 'rejected')`)
export class FollowingEntity {
  @PrimaryColumn({ type: 'varchar', length: 2048, name: 'follow_activity_id', primaryKeyConstraintName: 'following_pkey' })
  followActivityId!: string;

  @Column({ type: 'uuid', name: 'local_actor_id' })
  localActorId!: string;

  @Column({ type: 'varchar', length: 2048, name: 'remote_actor_id' })
  remoteActorId!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: FollowingState;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
