import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { IngressSettings } from './ingress-settings.types';
import { LocalActorRepository } from './local-actor.repository';
import { LocalActorService } from './local-actor.service';

/**
 * Development only (SEED_DEMO_DATA follows NODE_ENV=development): on an empty instance, creates
 * users alice and bob and the challenge Group `demo`, so `@demo@localhost:3000` can be followed
 * from another server on this machine. The challenges service will create actors by event later.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly settings: IngressSettings,
    private readonly actors: LocalActorRepository,
    private readonly localActors: LocalActorService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.seedDemoData) return;
    await this.seed();
  }

  /** Seeds unless any local actor exists; returns whether it did. */
  async seed(): Promise<boolean> {
    if ((await this.actors.count()) > 0) return false;
    const created = [];
    for (const actor of DEMO_ACTORS) created.push((await this.localActors.ensure(actor)).actorId);
    this.logger.log({ msg: 'demo actors created', actors: created });
    return true;
  }
}

const DEMO_ACTORS = [
  { kind: 'user', username: 'alice', name: 'Alice', summary: 'Demo user' },
  { kind: 'user', username: 'bob', name: 'Bob', summary: 'Demo user' },
  { kind: 'challenge', username: 'demo', name: 'Demo challenge', summary: 'A public demo challenge: run 100 km this month.' },
] as const;
