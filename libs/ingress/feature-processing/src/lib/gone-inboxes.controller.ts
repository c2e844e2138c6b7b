import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DeliveryGoneV1, type InboxGonePayload } from '@peerfed/shared/contracts';
import { ForgetGoneInboxUseCase } from './forget-gone-inbox.usecase';

/** The consumer of delivery.gone.v1 (group `ingress`): acknowledged once the actor is forgotten. */
@Controller()
export class GoneInboxesController {
  constructor(private readonly forget: ForgetGoneInboxUseCase) {}

  @EventPattern<string>(DeliveryGoneV1.stream, { contract: DeliveryGoneV1 })
  async onInboxGone(@Payload() report: InboxGonePayload): Promise<void> {
    await this.forget.execute(report);
  }
}
