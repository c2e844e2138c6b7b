import { type ApActivity } from '@peerfed/shared/activitypub';
import { type EntityManager } from 'typeorm';

/** What applying one activity did; `afterCommit` runs once the transaction committed (cache invalidation). */
export interface ActivityEffect {
  /** Short description for logs and tests, e.g. `follower-added`, `ignored:not-local`. */
  readonly outcome: string;
  readonly afterCommit?: () => Promise<void>;
}

/** The inputs every activity handler gets: the activity, its verified actor, the open transaction. */
export interface ActivityContext {
  readonly activity: ApActivity;
  readonly actorId: string;
  readonly manager: EntityManager;
}

export function ignored(reason: string): ActivityEffect {
  return { outcome: `ignored:${reason}` };
}
