import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A remote actor we have verified a signature of or interact with: where to deliver, which key it signs with. */
@Entity({ name: 'remote_actors' })
@Index('remote_actors_key_id_idx', ['keyId'])
@Index('remote_actors_domain_idx', ['domain'])
@Index('remote_actors_inbox_idx', ['inbox'])
export class RemoteActorEntity {
  @PrimaryColumn({ type: 'varchar', length: 2048, name: 'actor_id', primaryKeyConstraintName: 'remote_actors_pkey' })
  actorId!: string;

  /** Lower-case host (with port) of the actor id: the unit of blocking and purging. */
  @Column({ type: 'varchar', length: 255 })
  domain!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ type: 'varchar', length: 2048 })
  inbox!: string;

  @Column({ type: 'varchar', length: 2048, name: 'shared_inbox', nullable: true })
  sharedInbox!: string | null;

  @Column({ type: 'varchar', length: 2048, name: 'key_id' })
  keyId!: string;

  @Column({ type: 'text', name: 'public_key_pem' })
  publicKeyPem!: string;

  @Column({ type: 'timestamptz', name: 'fetched_at' })
  fetchedAt!: Date;

  /** Set when the actor deleted itself or its inbox answered 410 Gone (the row stops us refetching it). */
  @Column({ type: 'boolean', default: false })
  gone!: boolean;
}
