import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A post or comment: ours (`local`) or a remote one addressed to a local Group or replying to a
 * local object. Deleting keeps the row as a Tombstone (`deleted_at`), so its URL answers 410.
 */
@Entity({ name: 'objects' })
@Index('objects_attributed_to_idx', ['attributedTo'])
@Index('objects_local_actor_id_idx', ['localActorId', 'publishedAt'])
@Index('objects_in_reply_to_idx', ['inReplyTo'])
export class StoredObjectEntity {
  @PrimaryColumn({ type: 'varchar', length: 2048, name: 'object_id', primaryKeyConstraintName: 'objects_pkey' })
  objectId!: string;

  @Column({ type: 'boolean' })
  local!: boolean;

  /** Note, Page, Article. */
  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ type: 'varchar', length: 2048, name: 'attributed_to' })
  attributedTo!: string;

  /** The local Group it was addressed to (or ours: the author); null for replies elsewhere. */
  @Column({ type: 'uuid', name: 'local_actor_id', nullable: true })
  localActorId!: string | null;

  @Column({ type: 'varchar', length: 2048, name: 'in_reply_to', nullable: true })
  inReplyTo!: string | null;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  content!: string | null;

  /** The object as received (remote) or as we serve it (local). */
  @Column({ type: 'jsonb' })
  document!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'published_at' })
  publishedAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', nullable: true })
  updatedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'stored_at' })
  storedAt!: Date;
}
