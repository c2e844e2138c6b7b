export { ActorDocumentBuilder } from './lib/actor-document.builder';
export { ActorDocumentsService } from './lib/actor-documents.service';
export { escapeHtml, sendActivityJson, sendHtml, sendJson, wantsHtml } from './lib/document-reply.util';
export { IngressDocumentsModule } from './lib/ingress-documents.module';
export { orderedCollection, orderedCollectionPage, PAGE_SIZE, parsePage } from './lib/ordered-collection.util';
export { RateLimited, RateLimitGuard } from './lib/rate-limit.guard';
export { RATE_LIMIT_CLASSES, RateLimiterService, type RateLimitClass, type RateLimitDecision } from './lib/rate-limiter.service';
export { UsageStatsService, type UsageStats } from './lib/usage-stats.service';
