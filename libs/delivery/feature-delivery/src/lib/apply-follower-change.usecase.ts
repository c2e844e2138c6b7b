import { type FollowerProjectionRepository } from '@peerfed/delivery/data-access';
import { runOnce } from '@peerfed/platform/database';
import { type FollowerChangedPayload } from '@peerfed/shared/contracts';
import { type DataSource } from 'typeorm';

/** ingress.followers.v1 -> delivery's follower projection (idempotent per message). */
export class ApplyFollowerChangeUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly followers: FollowerProjectionRepository,
  ) {}

  async execute(payload: FollowerChangedPayload, messageId: string): Promise<{ duplicate: boolean }> {
    const result = await runOnce(this.dataSource, { consumer: 'delivery.followers', messageId }, async (manager) => {
      switch (payload.change) {
        case 'added':
          await this.followers.add(
            { localActorId: payload.localActorId, followerId: payload.followerId, inbox: payload.inbox, sharedInbox: payload.sharedInbox },
            manager,
          );
          return;
        case 'removed':
          await this.followers.remove(payload.localActorId, payload.followerId, manager);
          return;
      }
    });
    return { duplicate: result.duplicate };
  }
}
