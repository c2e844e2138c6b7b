import { Module } from '@nestjs/common';
import { ActorDocumentBuilder } from './actor-document.builder';
import { ActorDocumentsService } from './actor-documents.service';
import { ActorsController } from './actors.controller';
import { ObjectsController } from './objects.controller';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiterService } from './rate-limiter.service';
import { UsageStatsService } from './usage-stats.service';
import { WellKnownController } from './well-known.controller';

/** Discovery and documents: WebFinger, host-meta, NodeInfo, actors, collections, objects. Needs IngressDataAccessModule. */
@Module({
  controllers: [WellKnownController, ActorsController, ObjectsController],
  providers: [ActorDocumentBuilder, ActorDocumentsService, RateLimiterService, RateLimitGuard, UsageStatsService],
  exports: [ActorDocumentBuilder],
})
export class IngressDocumentsModule {}
