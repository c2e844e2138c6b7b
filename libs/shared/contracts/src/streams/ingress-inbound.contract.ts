import { IsISO8601, IsObject, IsString, Length } from 'class-validator';
import { defineStream } from '../lib/define-stream.util';
import { IsHttpUrl } from '../lib/url-rules.util';

/** An activity that passed signature and digest checks at the inbox, waiting to be applied. */
export class InboundActivityPayload {
  /** The activity as received (JSON-LD object), unmodified. */
  @IsObject()
  activity!: Record<string, unknown>;

  /** The actor whose key signed the request. */
  @IsHttpUrl()
  actorId!: string;

  /** The `keyId` of the verified signature. */
  @IsString()
  @Length(1, 2048)
  keyId!: string;

  @IsISO8601({ strict: true })
  receivedAt!: string;

  /** The inbox that received it: the shared inbox or a local actor's inbox. */
  @IsHttpUrl()
  inbox!: string;
}

/** ingress -> ingress workers: received activities, by priority. */
export const IngressInboundV1 = defineStream({
  stream: 'ingress.inbound.v1',
  type: 'activity.received',
  schemaVersion: 1,
  payload: InboundActivityPayload,
});
