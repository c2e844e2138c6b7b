import { type StreamContract } from '@peerfed/shared/contracts';

/** One handler bound to one logical stream and consumer group. */
export interface StreamBinding {
  stream: string;
  group: string;
  contract: StreamContract;
  /** @MessagePattern (request/reply) rather than @EventPattern. */
  isRequest: boolean;
  /** Lane keys, PRIORITIES order. */
  keys: string[];
  deadKey: string;
}

/** Why a message went to the dead-letter stream. */
export type DeadLetterReason = 'invalid' | 'handler-error' | 'max-deliveries';
