import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const FOLLOWER_STATES = ['pending', 'accepted'] as const;
export type FollowerState = (typeof FOLLOWER_STATES)[number];

/** A remote actor following one of our local actors. */
@Entity({ name: 'followers' })
@Index('followers_follower_id_idx', ['followerId'])
@Check('followers_state_check', `"state" IN ('pending', 'accepted')`)
export class FollowerEntity {
  @PrimaryColumn({ type: 'uuid', name: 'local_actor_id', primaryKeyConstraintName: 'followers_pkey' })
  localActorId!: string;

  @PrimaryColumn({ type: 'varchar', length: 2048, name: 'follower_id', primaryKeyConstraintName: 'followers_pkey' })
  followerId!: string;

  @Column({ type: 'varchar', length: 2048 })
  inbox!: string;

  @Column({ type: 'varchar', length: 2048, name: 'shared_inbox', nullable: true })
  sharedInbox!: string | null;

  @Column({ type: 'varchar', length: 16 })
  state!: FollowerState;

  /** The Follow activity, so an Undo naming it (or only its id) finds this row. */
  @Column({ type: 'varchar', length: 2048, name: 'follow_activity_id' })
  followActivityId!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
