import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A message a consumer has already applied. Lives in the consumer's own schema (the data source's
 * default schema); the row is inserted in the same transaction as the message's effect.
 */
@Entity({ name: 'processed_messages' })
@Index('processed_messages_processed_at_idx', ['processedAt'])
export class ProcessedMessage {
  @PrimaryColumn({ type: 'varchar', name: 'consumer', primaryKeyConstraintName: 'processed_messages_pkey' })
  consumer!: string;

  @PrimaryColumn({ type: 'varchar', name: 'message_id', primaryKeyConstraintName: 'processed_messages_pkey' })
  messageId!: string;

  @Column({ type: 'timestamptz', name: 'processed_at', default: () => 'now()' })
  processedAt!: Date;
}
