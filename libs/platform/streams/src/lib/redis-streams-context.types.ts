import { BaseRpcContext } from '@nestjs/microservices';
import { type MessageEnvelope, type Priority } from '@peerfed/shared/contracts';

export interface RedisStreamsMessageInfo {
  /** Logical stream, e.g. ingress.inbound.v1. */
  stream: string;
  /** Redis key of the lane it was read from, e.g. {ingress.inbound.v1}:high. */
  key: string;
  priority: Priority;
  group: string;
  consumer: string;
  /** Redis entry id; differs between two publications of the same envelope. */
  messageId: string;
  /** 1 on first delivery; grows with every reclaim or re-read. */
  deliveryCount: number;
  envelope: MessageEnvelope;
}

/**
 * The context handed to stream handlers (`@Ctx()`). `getEnvelope().id` is the message's
 * idempotency key: record it in the same transaction as the handler's effect.
 */
export class RedisStreamsContext extends BaseRpcContext<[RedisStreamsMessageInfo]> {
  constructor(info: RedisStreamsMessageInfo) {
    super([info]);
  }

  getInfo(): RedisStreamsMessageInfo {
    return this.args[0];
  }

  getEnvelope(): MessageEnvelope {
    return this.args[0].envelope;
  }

  /** The envelope id: the key to make the handler's effect idempotent. */
  getIdempotencyKey(): string {
    return this.args[0].envelope.id;
  }

  getTraceId(): string {
    return this.args[0].envelope.traceId;
  }

  getStream(): string {
    return this.args[0].stream;
  }

  getPriority(): Priority {
    return this.args[0].priority;
  }

  getDeliveryCount(): number {
    return this.args[0].deliveryCount;
  }

  getMessageId(): string {
    return this.args[0].messageId;
  }

  getGroup(): string {
    return this.args[0].group;
  }
}
