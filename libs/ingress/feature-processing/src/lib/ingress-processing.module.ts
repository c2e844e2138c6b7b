import { Module } from '@nestjs/common';
import { ActorLifecycleHandler } from './actor-lifecycle.handler';
import { ApplyInboundActivityUseCase } from './apply-inbound-activity.usecase';
import { ContentActivitiesHandler } from './content-activities.handler';
import { FederationEventsPublisher } from './federation-events.publisher';
import { FollowActivitiesHandler } from './follow-activities.handler';
import { ForgetGoneInboxUseCase } from './forget-gone-inbox.usecase';
import { GoneInboxesController } from './gone-inboxes.controller';
import { GroupAnnouncer } from './group-announcer.service';
import { InboundActivitiesController } from './inbound-activities.controller';
import { VoteActivitiesHandler } from './vote-activities.handler';

/**
 * Inbound workers: apply ingress.inbound.v1 to Postgres and publish the resulting events, and
 * forget actors whose inbox delivery found gone (delivery.gone.v1). Needs IngressDataAccessModule.
 */
@Module({
  controllers: [InboundActivitiesController, GoneInboxesController],
  providers: [
    ApplyInboundActivityUseCase,
    FederationEventsPublisher,
    FollowActivitiesHandler,
    ContentActivitiesHandler,
    VoteActivitiesHandler,
    ActorLifecycleHandler,
    GroupAnnouncer,
    ForgetGoneInboxUseCase,
  ],
  exports: [ApplyInboundActivityUseCase],
})
export class IngressProcessingModule {}
