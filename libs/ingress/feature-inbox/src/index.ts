export { isBlockedDomain } from './lib/blocked-domain.util';
export { INBOX_CONTENT_TYPES, InboxBodyParserService } from './lib/inbox-body-parser.service';
export { InboxRoutesService } from './lib/inbox-routes.service';
export { InboundQueueRepository, type EnqueueOutcome } from './lib/inbound-queue.repository';
export { INBOX_REJECTIONS, InboxRejectionException, type InboxRejectionCode } from './lib/inbox-rejection.exception';
export { InboxService, type InboxOutcome, type InboxRequest } from './lib/inbox.service';
export { IngressInboxModule } from './lib/ingress-inbox.module';
export { SeenActivitiesRepository } from './lib/seen-activities.repository';
