import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { type RedisStreamsContext } from '@peerfed/platform/streams';
import {
  type DeliveryAdminCommandPayload,
  type DeliveryAdminReply,
  DeliveryAdminV1,
  DeliveryOutboundV1,
  type DeliveryTaskPayload,
  DeliveryTasksV1,
  type FollowerChangedPayload,
  IngressFollowersV1,
  type OutboundActivityPayload,
} from '@peerfed/shared/contracts';
import { DeliveryComponents } from './delivery-components.service';

/**
 * The delivery service's stream consumers (consumer group of the hosting RedisStreamsServer).
 * A handler resolves only after its effect is durable, and the transport acknowledges then; a
 * throw leaves the entry pending for a retry.
 */
@Controller()
export class DeliveryStreamsController {
  constructor(@Inject(DeliveryComponents) private readonly components: DeliveryComponents) {}

  @EventPattern<string>(DeliveryOutboundV1.stream, { contract: DeliveryOutboundV1 })
  async fanOut(@Payload() payload: OutboundActivityPayload, @Ctx() context: RedisStreamsContext): Promise<void> {
    await this.components.fanOut.execute({
      payload,
      messageId: context.getIdempotencyKey(),
      priority: context.getPriority(),
      traceId: context.getTraceId(),
      publishedAt: Date.parse(context.getEnvelope().createdAt),
    });
  }

  @EventPattern<string>(IngressFollowersV1.stream, { contract: IngressFollowersV1 })
  async followerChanged(@Payload() payload: FollowerChangedPayload, @Ctx() context: RedisStreamsContext): Promise<void> {
    await this.components.followerChanges.execute(payload, context.getIdempotencyKey());
  }

  @EventPattern<string>(DeliveryTasksV1.stream, { contract: DeliveryTasksV1 })
  async deliver(@Payload() task: DeliveryTaskPayload, @Ctx() context: RedisStreamsContext): Promise<void> {
    await this.components.deliver.execute({ task, priority: context.getPriority(), traceId: context.getTraceId() });
  }

  @MessagePattern<string>(DeliveryAdminV1.stream, { contract: DeliveryAdminV1 })
  admin(@Payload() command: DeliveryAdminCommandPayload): Promise<DeliveryAdminReply> {
    return this.components.admin.execute(command);
  }
}
