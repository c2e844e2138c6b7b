import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { FollowerEntity } from './follower.entity';

export type NewFollower = Omit<FollowerEntity, 'createdAt'>;

@Injectable()
export class FollowerRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the follower, or refreshes its inbox and Follow id when it follows again. */
  async upsert(follower: NewFollower, manager: EntityManager): Promise<void> {
    await manager.getRepository(FollowerEntity).upsert(follower, ['localActorId', 'followerId']);
  }

  /** Removes one follow; returns the removed row, if there was one. */
  async remove(localActorId: string, followerId: string, manager: EntityManager): Promise<FollowerEntity | undefined> {
    const repository = manager.getRepository(FollowerEntity);
    const row = await repository.findOneBy({ localActorId, followerId });
    if (row) await repository.delete({ localActorId, followerId });
    return row ?? undefined;
  }

  /** Removes every follow of a remote actor (it deleted itself); returns them. */
  async removeAllOf(followerId: string, manager: EntityManager): Promise<FollowerEntity[]> {
    const repository = manager.getRepository(FollowerEntity);
    const rows = await repository.findBy({ followerId });
    if (rows.length > 0) await repository.delete({ followerId });
    return rows;
  }

  findByFollowActivity(followActivityId: string, manager: EntityManager): Promise<FollowerEntity | null> {
    return manager.getRepository(FollowerEntity).findOneBy({ followActivityId });
  }

  /** Accepted followers of a local actor, oldest first. */
  page(localActorId: string, offset: number, limit: number): Promise<FollowerEntity[]> {
    return this.dataSource.getRepository(FollowerEntity).find({
      where: { localActorId, state: 'accepted' },
      order: { createdAt: 'ASC', followerId: 'ASC' },
      skip: offset,
      take: limit,
    });
  }

  count(localActorId: string): Promise<number> {
    return this.dataSource.getRepository(FollowerEntity).countBy({ localActorId, state: 'accepted' });
  }
}
