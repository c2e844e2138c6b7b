import { Module } from '@nestjs/common';
import { KeyObjectCache } from '@peerfed/shared/activitypub';
import { InboxBodyParserService } from './inbox-body-parser.service';
import { InboundQueueRepository } from './inbound-queue.repository';
import { InboxRoutesService } from './inbox-routes.service';
import { InboxService } from './inbox.service';
import { Rfc9421SendersRepository } from './rfc9421-senders.repository';
import { SeenActivitiesRepository } from './seen-activities.repository';

/** Parsed public keys kept in memory: parsing a PEM costs ten RSA verifications. */
const KEY_OBJECT_CACHE_SIZE = 10_000;

/**
 * The inboxes: verification, dedupe and queueing on ingress.inbound.v1. Needs IngressDataAccessModule.
 * The routes are registered on Fastify by InboxRoutesService, not by a controller (see there why).
 */
@Module({
  providers: [
    InboxBodyParserService,
    InboxRoutesService,
    InboxService,
    SeenActivitiesRepository,
    InboundQueueRepository,
    Rfc9421SendersRepository,
    { provide: KeyObjectCache, useFactory: () => new KeyObjectCache(KEY_OBJECT_CACHE_SIZE) },
  ],
  exports: [InboxService],
})
export class IngressInboxModule {}
