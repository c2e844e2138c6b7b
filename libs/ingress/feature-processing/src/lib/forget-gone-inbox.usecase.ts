import { Injectable, Logger } from '@nestjs/common';
import { RemoteActorRepository } from '@peerfed/ingress/data-access';
import { runOnce } from '@peerfed/platform/database';
import { type InboxGonePayload } from '@peerfed/shared/contracts';
import { stableUuid } from '@peerfed/shared/outbound';
import { DataSource } from 'typeorm';
import { ActorLifecycleHandler } from './actor-lifecycle.handler';

/** processed_messages consumer name: one effect per report (delivery and inbox), however often it arrives. */
export const FORGET_GONE_INBOX_CONSUMER = 'ingress.forget-gone-inbox';

/**
 * delivery.gone.v1: an inbox answered 410 Gone, so the actor whose personal inbox it is no longer
 * exists. Its follows of our actors are removed (with removal events, which also keep delivery's
 * audience in step) and it is marked gone, as a Delete of itself would; its posts and votes stay,
 * since only the actor's own Delete says they should go. A shared inbox names no actor: no effect.
 */
@Injectable()
export class ForgetGoneInboxUseCase {
  private readonly logger = new Logger(ForgetGoneInboxUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly remoteActors: RemoteActorRepository,
    private readonly lifecycle: ActorLifecycleHandler,
  ) {}

  async execute(report: InboxGonePayload): Promise<{ actors: number; followers: number } | 'duplicate'> {
    const cause = `${report.activityId}#gone ${report.inbox}`;
    // Hashed: two URLs may be longer than an index entry allows.
    const run = await runOnce(this.dataSource, { consumer: FORGET_GONE_INBOX_CONSUMER, messageId: stableUuid(cause) }, async (manager) => {
      const actorIds = await this.remoteActors.idsByInbox(report.inbox, manager);
      const effects = [];
      for (const actorId of actorIds) effects.push(await this.lifecycle.forget(actorId, cause, manager));
      return effects;
    });
    if (run.duplicate) return 'duplicate';
    for (const effect of run.result) await effect.afterCommit?.();
    const followers = run.result.reduce((sum, effect) => sum + effect.followers, 0);
    if (run.result.length > 0) this.logger.log({ msg: 'inbox answered 410 Gone: actor forgotten', inbox: report.inbox, actors: run.result.length, followers });
    return { actors: run.result.length, followers };
  }
}
