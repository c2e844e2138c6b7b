import { BaseEnv } from '@peerfed/platform/config';

/** Environment of the wallet service: the shared variables plus its own (none yet). */
export class WalletEnv extends BaseEnv {
  override PORT = 3003;
}
