import { Module } from '@nestjs/common';
import { KeyObjectCache } from '@peerfed/shared/activitypub';
import { InboxBodyParserService } from './inbox-body-parser.service';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';
import { SeenActivitiesRepository } from './seen-activities.repository';

/** Parsed public keys kept in memory: parsing a PEM costs ten RSA verifications. */
const KEY_OBJECT_CACHE_SIZE = 10_000;

/** The inboxes: verification, dedupe and queueing on ingress.inbound.v1. Needs IngressDataAccessModule. */
@Module({
  controllers: [InboxController],
  providers: [
    InboxBodyParserService,
    InboxService,
    SeenActivitiesRepository,
    { provide: KeyObjectCache, useFactory: () => new KeyObjectCache(KEY_OBJECT_CACHE_SIZE) },
  ],
  exports: [InboxService],
})
export class IngressInboxModule {}
