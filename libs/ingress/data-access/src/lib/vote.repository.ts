import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { VoteEntity, type VoteKind } from './vote.entity';

/** Remote votes on local objects: one per actor and object. */
@Injectable()
export class VoteRepository {
  /** Records the vote, replacing an earlier vote of the same actor on the same object. */
  async cast(vote: Omit<VoteEntity, 'createdAt'>, manager: EntityManager): Promise<void> {
    const repository = manager.getRepository(VoteEntity);
    await repository.delete({ actorId: vote.actorId, objectId: vote.objectId });
    await repository.insert(vote);
  }

  /** Withdraws the vote cast by `activityId`, only if `actorId` cast it. */
  async withdraw(activityId: string, actorId: string, manager: EntityManager): Promise<VoteEntity | undefined> {
    const repository = manager.getRepository(VoteEntity);
    const row = await repository.findOneBy({ activityId, actorId });
    if (row) await repository.delete({ activityId });
    return row ?? undefined;
  }

  /** Removes every vote of an actor (it deleted itself); returns them. */
  async removeAllBy(actorId: string, manager: EntityManager): Promise<VoteEntity[]> {
    const repository = manager.getRepository(VoteEntity);
    const rows = await repository.findBy({ actorId });
    if (rows.length > 0) await repository.delete({ actorId });
    return rows;
  }

  /** The vote kind an activity type casts. */
  static kindOf(type: 'Like' | 'Dislike'): VoteKind {
    return type === 'Like' ? 'like' : 'dislike';
  }
}
