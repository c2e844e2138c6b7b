import { Injectable } from '@nestjs/common';
import { LocalActorRepository, ObjectRepository } from '@peerfed/ingress/data-access';

export interface UsageStats {
  readonly users: number;
  readonly localPosts: number;
}

/** The counts NodeInfo reports, straight from the database. */
@Injectable()
export class UsageStatsService {
  constructor(
    private readonly actors: LocalActorRepository,
    private readonly objects: ObjectRepository,
  ) {}

  async current(): Promise<UsageStats> {
    const [users, localPosts] = await Promise.all([this.actors.count('user'), this.objects.countLocal()]);
    return { users, localPosts };
  }
}
