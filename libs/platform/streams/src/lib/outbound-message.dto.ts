import { type EnvelopeOptions, type MessageEnvelope, type Priority, type StreamContract, createEnvelope } from '@peerfed/shared/contracts';

export interface OutboundMessageOptions extends Omit<EnvelopeOptions, 'correlationId' | 'replyTo'> {
  priority?: Priority;
}

/**
 * A message ready to publish: its envelope (and so its idempotency key) is fixed when it is
 * created, so publishing the same OutboundMessage twice yields two entries with one envelope id.
 * Pass it as the data of `client.emit(contract.stream, message)`.
 */
export class OutboundMessage<P extends object = object> {
  readonly envelope: MessageEnvelope<P>;
  readonly priority: Priority | undefined;

  constructor(
    readonly contract: StreamContract<P>,
    payload: P,
    options: OutboundMessageOptions = {},
  ) {
    this.envelope = createEnvelope(contract, payload, options);
    this.priority = options.priority;
  }
}
