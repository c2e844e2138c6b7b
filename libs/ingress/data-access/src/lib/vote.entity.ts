import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export const VOTE_KINDS = ['like', 'dislike'] as const;
export type VoteKind = (typeof VOTE_KINDS)[number];

/** A remote Like or Dislike of a local object; one vote per actor and object (a new one replaces the old). */
@Entity({ name: 'votes' })
@Unique('votes_actor_object_key', ['actorId', 'objectId'])
@Index('votes_object_id_idx', ['objectId'])
@Check('votes_kind_check', `"kind" IN ('like', 'dislike')`)
export class VoteEntity {
  @PrimaryColumn({ type: 'varchar', length: 2048, name: 'activity_id', primaryKeyConstraintName: 'votes_pkey' })
  activityId!: string;

  @Column({ type: 'varchar', length: 2048, name: 'actor_id' })
  actorId!: string;

  @Column({ type: 'varchar', length: 2048, name: 'object_id' })
  objectId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: VoteKind;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
