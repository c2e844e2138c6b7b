import { Transform } from 'class-transformer';
import { BaseEnv } from './base-env.dto';
import { DevelopmentOnlyFlag, Pattern, ServiceUrl } from './env-rules.util';
import { Secret } from './mask.util';

/**
 * Fixed, public development key for KEY_ENCRYPTION_KEY: used only when NODE_ENV is not
 * production, so `npm start` works without setup. Production must set its own (>= 32 characters).
 * One value for every federating service: ingress seals the keys of ingress.actor_keys and
 * delivery opens them.
 */
export const DEV_KEY_ENCRYPTION_KEY = 'peerfed-development-only-key-encryption-key';

/** What every service that talks to remote servers (ingress, delivery) reads, besides BaseEnv. */
export class FederationEnv extends BaseEnv {
  /** Our public origin: every actor and object id derives from it; its host is never delivered to. */
  @ServiceUrl(['http', 'https'])
  PUBLIC_URL = 'http://localhost:3000';

  /** Seals / opens local actors' private keys (AES-256-GCM). Required in production. */
  @Secret()
  @Transform(({ value, obj }: { value: unknown; obj: Record<string, unknown> }) =>
    value === undefined && obj['NODE_ENV'] !== 'production' ? DEV_KEY_ENCRYPTION_KEY : value,
  )
  @Pattern(/^.{32,}$/, 'must be at least 32 characters')
  KEY_ENCRYPTION_KEY!: string;

  /** Remote servers may be reached on loopback addresses (never private ranges): development and tests only. */
  @DevelopmentOnlyFlag()
  ALLOW_LOOPBACK_PEERS!: boolean;
}
