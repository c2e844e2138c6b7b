import { Inject, Injectable, Logger } from '@nestjs/common';
import { INGRESS_REDIS, IngressSettings, type IngressRedis } from '@peerfed/ingress/data-access';

/**
 * Activity ids accepted recently (SET NX with a TTL of at least a day): a replay is answered 202
 * without being queued again. The workers dedupe as well, so a Redis outage only costs a
 * duplicate queue entry, never a duplicate effect.
 */
@Injectable()
export class SeenActivitiesRepository {
  private readonly logger = new Logger(SeenActivitiesRepository.name);

  constructor(
    @Inject(INGRESS_REDIS) private readonly redis: IngressRedis,
    private readonly settings: IngressSettings,
  ) {}

  /** True when the id was not seen yet (and is now remembered); true as well when Redis is unreachable. */
  async markNew(activityId: string): Promise<boolean> {
    try {
      const set = await this.redis.set(seenKey(activityId), '1', 'EX', this.settings.seenActivityTtlSeconds, 'NX');
      return set === 'OK';
    } catch (error) {
      this.logger.warn(`dedupe skipped, Redis unavailable: ${(error as Error).message}`);
      return true;
    }
  }

  /** Forgets an id whose queueing failed, so the sender's retry is accepted. */
  async forget(activityId: string): Promise<void> {
    try {
      await this.redis.del(seenKey(activityId));
    } catch (error) {
      this.logger.warn(`could not forget ${activityId}: ${(error as Error).message}`);
    }
  }
}

/** The key remembering an accepted activity id (also written by InboundQueueRepository's script). */
export function seenKey(activityId: string): string {
  return `ingress:seen:${activityId}`;
}
