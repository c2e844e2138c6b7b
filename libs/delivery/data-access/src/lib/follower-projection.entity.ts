import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Delivery's projection of ingress.followers.v1: who follows a local actor, and where to deliver. */
@Entity({ name: 'followers' })
@Index('followers_inbox_idx', ['inbox'])
export class FollowerProjectionEntity {
  @PrimaryColumn({ type: 'varchar', name: 'local_actor_id', primaryKeyConstraintName: 'followers_pkey' })
  localActorId!: string;

  @PrimaryColumn({ type: 'varchar', name: 'follower_id', primaryKeyConstraintName: 'followers_pkey' })
  followerId!: string;

  @Column({ type: 'varchar' })
  inbox!: string;

  @Column({ type: 'varchar', name: 'shared_inbox', nullable: true })
  sharedInbox!: string | null;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
