import { Inject, Injectable, Logger } from '@nestjs/common';
import { INGRESS_REDIS, type IngressRedis } from '@peerfed/ingress/data-access';
import { SIGNATURE_SCHEMES_KEY } from '@peerfed/shared/contracts';

/** Hosts remembered per process before the memory starts over (a few hundred KB at most). */
const MAX_REMEMBERED_HOSTS = 10_000;

/**
 * Tells delivery which hosts sign with RFC 9421 (SIGNATURE_SCHEMES_KEY): a server that signs
 * with it verifies it too, so delivery may sign RFC 9421 for that host. HSETNX, so what delivery
 * learned from a refusal is never overwritten. One write per host and process: the inbox path
 * does not pay a round trip per request. A failed write is only logged; the next request retries.
 */
@Injectable()
export class Rfc9421SendersRepository {
  private readonly logger = new Logger(Rfc9421SendersRepository.name);
  private readonly recorded = new Set<string>();

  constructor(@Inject(INGRESS_REDIS) private readonly redis: IngressRedis) {}

  /** Records the host of an actor whose request carried a valid RFC 9421 signature. */
  async record(actorId: string): Promise<void> {
    const host = new URL(actorId).host;
    if (this.recorded.has(host)) return;
    if (this.recorded.size >= MAX_REMEMBERED_HOSTS) this.recorded.clear();
    this.recorded.add(host);
    try {
      await this.redis.hsetnx(SIGNATURE_SCHEMES_KEY, host, 'rfc9421');
    } catch (error) {
      this.recorded.delete(host);
      this.logger.warn(`could not record ${host} as an RFC 9421 signer: ${(error as Error).message}`);
    }
  }
}
