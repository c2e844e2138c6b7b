import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InboundActivityPayload, IngressInboundV1 } from '@peerfed/shared/contracts';
import { ContactBatcher } from './contact-batcher.service';
import { RecordContactUsecase } from './record-contact.usecase';

/**
 * Consumes ingress.inbound.v1 in its own group 'monitor' (the ingress workers keep theirs): an
 * accepted activity is contact from its actor's host, which clears that host's unavailable mark.
 */
@Controller()
export class InboundContactsController {
  private readonly logger = new Logger(InboundContactsController.name);

  constructor(private readonly contacts: ContactBatcher) {}

  @EventPattern<string>(IngressInboundV1.stream, { contract: IngressInboundV1, group: 'monitor' })
  async onInbound(@Payload() payload: InboundActivityPayload): Promise<void> {
    const host = RecordContactUsecase.hostOf(payload.actorId);
    // Retrying cannot fix a host we cannot parse: acknowledge and say so.
    if (host === null) {
      this.logger.warn({ msg: 'inbound activity without a usable actor host; ignored', actorId: payload.actorId });
      return;
    }
    await this.contacts.submit(host);
  }
}
