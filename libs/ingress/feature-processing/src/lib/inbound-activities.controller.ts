import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type InboundActivityPayload, IngressInboundV1 } from '@peerfed/shared/contracts';
import { ApplyInboundActivityUseCase } from './apply-inbound-activity.usecase';

/** The consumer of ingress.inbound.v1 (group `ingress`): acknowledged once the effect committed. */
@Controller()
export class InboundActivitiesController {
  constructor(private readonly apply: ApplyInboundActivityUseCase) {}

  @EventPattern<string>(IngressInboundV1.stream, { contract: IngressInboundV1 })
  async onActivity(@Payload() payload: InboundActivityPayload): Promise<void> {
    await this.apply.execute(payload);
  }
}
