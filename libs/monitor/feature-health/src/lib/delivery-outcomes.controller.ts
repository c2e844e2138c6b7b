import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type RedisStreamsContext } from '@peerfed/platform/streams';
import { DeliveryOutcomePayload, DeliveryOutcomesV1 } from '@peerfed/shared/contracts';
import { OutcomeBatcher } from './outcome-batcher.service';

/** Consumes delivery.outcomes.v1 in group 'monitor'; a throw leaves the message pending for a retry. */
@Controller()
export class DeliveryOutcomesController {
  constructor(private readonly outcomes: OutcomeBatcher) {}

  @EventPattern<string>(DeliveryOutcomesV1.stream, { contract: DeliveryOutcomesV1, group: 'monitor' })
  async onOutcome(@Payload() payload: DeliveryOutcomePayload, @Ctx() context: RedisStreamsContext): Promise<void> {
    await this.outcomes.submit({ messageId: context.getIdempotencyKey(), payload, occurredAt: Date.parse(context.getEnvelope().createdAt) });
  }
}
