import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { FollowingEntity, type FollowingState } from './following.entity';

/** Follows our local actors sent to remote actors. */
@Injectable()
export class FollowingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the answer of `remoteActorId` to one of our Follows; false when we sent no such Follow to it. */
  async answer(followActivityId: string, remoteActorId: string, state: FollowingState, manager: EntityManager): Promise<boolean> {
    const result = await manager.getRepository(FollowingEntity).update({ followActivityId, remoteActorId }, { state });
    return (result.affected ?? 0) > 0;
  }

  async record(follow: Omit<FollowingEntity, 'updatedAt'>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(FollowingEntity).upsert(follow, ['followActivityId']);
  }

  count(localActorId: string): Promise<number> {
    return this.dataSource.getRepository(FollowingEntity).countBy({ localActorId, state: 'accepted' });
  }

  page(localActorId: string, offset: number, limit: number): Promise<FollowingEntity[]> {
    return this.dataSource.getRepository(FollowingEntity).find({
      where: { localActorId, state: 'accepted' },
      order: { updatedAt: 'ASC', followActivityId: 'ASC' },
      skip: offset,
      take: limit,
    });
  }
}
