import { Injectable, Logger } from '@nestjs/common';
import { IngressSettings, RemoteActorRepository, RemoteActorResolver } from '@peerfed/ingress/data-access';
import {
  activityPriority,
  type ApActivity,
  type ApUnknown,
  type HeaderMap,
  HttpSignatureVerifier,
  isHttpUrl,
  isJsonObject,
  KeyObjectCache,
  parseActivity,
  sameOrigin,
} from '@peerfed/shared/activitypub';
import { type InboundActivityPayload } from '@peerfed/shared/contracts';
import { isBlockedDomain } from './blocked-domain.util';
import { InboundQueueRepository } from './inbound-queue.repository';
import { InboxRejectionException } from './inbox-rejection.exception';
import { Rfc9421SendersRepository } from './rfc9421-senders.repository';

export interface InboxRequest {
  readonly method: string;
  /** Origin-form request target as received (`/inbox`, `/groups/demo/inbox`). */
  readonly url: string;
  readonly headers: HeaderMap;
  /** Raw body bytes (the buffer parser's result), or whatever another parser made of it. */
  readonly body: unknown;
  /** The absolute URL of the inbox that received it. */
  readonly inbox: string;
}

export type InboxOutcome = 'queued' | 'duplicate' | 'unknown-actor-deleted';

/**
 * The inbox pipeline, checks in this order: JSON (400), activity shape (400), signature present,
 * well-formed, Date within the skew and body digest (all checked before any key fetch; 401), the
 * signature against the key, refetched once if a cached key fails (401), key owner = actor (403),
 * activity id on the actor's origin (403), blocked domain (403), already seen (202, not queued),
 * then XADD on the activity's lane (202).
 * A sender's host whose signature was RFC 9421 is recorded for delivery (Rfc9421SendersRepository).
 * Body size (413) and media type (415) are enforced before, by the body parser.
 * Rejections queue nothing and write nothing to Postgres.
 */
@Injectable()
export class InboxService {
  private readonly logger = new Logger(InboxService.name);
  private readonly verifier: HttpSignatureVerifier;
  private readonly scheme: 'http' | 'https';

  constructor(
    private readonly settings: IngressSettings,
    private readonly resolver: RemoteActorResolver,
    private readonly remoteActors: RemoteActorRepository,
    private readonly queue: InboundQueueRepository,
    private readonly rfc9421Senders: Rfc9421SendersRepository,
    keyCache: KeyObjectCache,
  ) {
    this.verifier = new HttpSignatureVerifier({
      resolveKey: (keyId, options) => this.resolver.resolveKey(keyId, options),
      maxSkewSeconds: settings.maxClockSkewSeconds,
      keyCache,
    });
    this.scheme = new URL(settings.publicUrl).protocol === 'https:' ? 'https' : 'http';
  }

  async receive(request: InboxRequest): Promise<InboxOutcome> {
    if (!Buffer.isBuffer(request.body)) {
      throw new InboxRejectionException('unsupported_media_type', 'send the activity as application/activity+json or application/ld+json');
    }
    const body = request.body;
    const activity = this.parse(body);
    const signatureRequest = { method: request.method, url: request.url, headers: request.headers, body, scheme: this.scheme };

    // Mastodon announces account deletions to every server it ever talked to; the key is gone
    // with the account, so there is nothing to verify and, for a stranger, nothing to delete.
    // The checks that need no key still run first. (verify() below runs them for everyone else.)
    if (isSelfDelete(activity)) {
      const prepared = this.verifier.prepare(signatureRequest);
      if (!prepared.ok) throw new InboxRejectionException('signature', `signature rejected: ${prepared.message}`, prepared.reason);
      if (!(await this.isStored(activity.actor))) return 'unknown-actor-deleted';
    }

    const verified = await this.verifier.verify(signatureRequest);
    if (!verified.ok) throw new InboxRejectionException('signature', `signature rejected: ${verified.message}`, verified.reason);

    const actor = activity.actor as string;
    if (verified.owner !== actor) {
      throw new InboxRejectionException('key_owner_mismatch', `key ${verified.keyId} belongs to ${verified.owner ?? 'nobody'}, not to the activity's actor ${actor}`);
    }
    const activityId = activity.id as string;
    // An actor may only name activities on its own origin; otherwise one server could claim
    // another's activity id first and have the genuine activity dropped as already seen.
    if (!sameOrigin(activityId, actor)) {
      throw new InboxRejectionException('foreign_activity_id', `the activity id ${activityId} is not on the origin of its actor ${actor}`, 'id');
    }
    const blocked = isBlockedDomain(actor, this.settings.blockedDomains) ?? isBlockedDomain(verified.keyId, this.settings.blockedDomains);
    if (blocked !== undefined) throw new InboxRejectionException('blocked_domain', `the domain ${blocked} is blocked on this instance`);
    // Not awaited: a hint for delivery's choice of signature scheme, never a reason to refuse.
    if (verified.scheme === 'rfc9421') void this.rfc9421Senders.record(actor);

    const payload: InboundActivityPayload = {
      activity: activity.raw,
      actorId: actor,
      keyId: verified.keyId,
      receivedAt: new Date().toISOString(),
      inbox: request.inbox,
    };
    try {
      return await this.queue.enqueue(activityId, payload, activityPriority(activity));
    } catch (error) {
      this.logger.error({ msg: 'inbound activity not queued', activityId, err: error });
      throw new InboxRejectionException('queue_unavailable', 'the activity could not be queued; retry later');
    }
  }

  private parse(body: Buffer): ApActivity | ApUnknown {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new InboxRejectionException('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
    }
    if (!isJsonObject(json)) throw new InboxRejectionException('invalid_json', 'the body must be a JSON object');
    const parsed = parseActivity(json);
    if (!parsed.ok) throw new InboxRejectionException('invalid_activity', `invalid activity: ${parsed.error.message}`, parsed.error.path);
    const activity = parsed.value;
    // parseActivity checked id and actor of the types it handles.
    if (activity.kind === 'activity') return activity;
    // Unknown types are accepted, but still need an id to dedupe on and one actor to authenticate.
    if (!isHttpUrl(activity.id)) throw new InboxRejectionException('invalid_activity', 'the activity needs an http(s) id', 'id');
    if (activity.types.length === 0) throw new InboxRejectionException('invalid_activity', 'the activity needs a type', 'type');
    if (!isHttpUrl(activity.actor)) throw new InboxRejectionException('invalid_activity', 'the activity needs exactly one http(s) actor', 'actor');
    return activity;
  }

  private async isStored(actorId: string): Promise<boolean> {
    const stored = await this.remoteActors.find(actorId);
    return stored !== null && !stored.gone;
  }
}

function isSelfDelete(activity: ApActivity | ApUnknown): activity is ApActivity {
  return activity.kind === 'activity' && activity.type === 'Delete' && activity.object.id === activity.actor;
}
