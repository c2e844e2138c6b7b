import { type RedisConnection } from '@peerfed/platform/streams';
import { isSignatureSchemeChoice, SIGNATURE_SCHEMES_KEY, type SignatureSchemeChoice } from '@peerfed/shared/contracts';
import { RedisHashMirror } from './redis-hash-mirror.util';

/**
 * Which signature scheme to sign with for a host (SIGNATURE_SCHEMES_KEY, fed by ingress and by
 * refusals): draft-cavage unless the host is known to accept RFC 9421, either from the shared
 * hash or from configuration (RFC9421_HOSTS). Reads come from memory, refreshed by a poll.
 */
export class SignatureSchemesRepository {
  private readonly mirror: RedisHashMirror<SignatureSchemeChoice>;

  constructor(
    private readonly redis: RedisConnection,
    private readonly configuredRfc9421Hosts: ReadonlySet<string> = new Set(),
  ) {
    this.mirror = new RedisHashMirror(redis, SIGNATURE_SCHEMES_KEY, (raw) => (isSignatureSchemeChoice(raw) ? raw : undefined), SignatureSchemesRepository.name);
  }

  async start(pollMs: number): Promise<void> {
    await this.mirror.refresh();
    this.mirror.startPolling(pollMs);
  }

  stop(): void {
    this.mirror.stopPolling();
  }

  schemeFor(host: string): SignatureSchemeChoice {
    return this.mirror.get(host) ?? (this.configuredRfc9421Hosts.has(host) ? 'rfc9421' : 'cavage');
  }

  /** The host refused an RFC 9421 signature: every replica signs draft-cavage for it from now on. */
  async markRfc9421Refused(host: string): Promise<void> {
    this.mirror.remember(host, 'cavage');
    await this.redis.hset(SIGNATURE_SCHEMES_KEY, host, 'cavage');
  }

  /** Reloads the shared hash now (tests; the poll does it otherwise). */
  refresh(): Promise<void> {
    return this.mirror.refresh();
  }
}
