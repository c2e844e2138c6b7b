export { type ActivityContext, type ActivityEffect } from './lib/activity-effect.types';
export { ActorLifecycleHandler } from './lib/actor-lifecycle.handler';
export { APPLY_CONSUMER, ApplyInboundActivityUseCase, type ApplyResult } from './lib/apply-inbound-activity.usecase';
export { ContentActivitiesHandler } from './lib/content-activities.handler';
export { FederationEventsPublisher } from './lib/federation-events.publisher';
export { FollowActivitiesHandler } from './lib/follow-activities.handler';
export { InboundActivitiesController } from './lib/inbound-activities.controller';
export { IngressProcessingModule } from './lib/ingress-processing.module';
export { VoteActivitiesHandler } from './lib/vote-activities.handler';
