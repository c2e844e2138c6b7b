import { BaseEnv } from '@peerfed/platform/config';

/** Environment of the challenges service: the shared variables plus its own (none yet). */
export class ChallengesEnv extends BaseEnv {
  override PORT = 3004;
}
