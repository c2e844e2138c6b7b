/**
 * Redis keys of the ingress document caches, in one place so the writers that invalidate them
 * (inbound workers) and the readers (document controllers) agree.
 */
export const CACHE_KEYS = {
  actorDocument: (actorId: string): string => `ingress:doc:actor:${actorId}`,
  outboxPage: (actorId: string, page: number): string => `ingress:doc:outbox:${actorId}:${page}`,
  followerCount: (localActorId: string): string => `ingress:count:followers:${localActorId}`,
} as const;

/** Actor documents: 1 h. */
export const ACTOR_DOCUMENT_TTL_SECONDS = 3600;
/** Outbox pages: 15 min. */
export const OUTBOX_PAGE_TTL_SECONDS = 900;
/** Follower counts: 1 h (invalidated whenever a follower is added or removed). */
export const FOLLOWER_COUNT_TTL_SECONDS = 3600;
