import { type RedisConnection } from '@peerfed/platform/streams';
import { DeliveryKeys } from './delivery-keys.util';
import { type DeliveryStatus } from './delivery-status.types';
import { defineScript } from './redis-script.util';

// KEYS[1]: the status hash of an activity. ARGV: inbox, status JSON, ttl ms. One command (it is
// auto-pipelined with the rest of the task's writes), atomic: the hash never outlives its TTL.
const SET = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])`;

/**
 * Delivery status per activity and destination inbox, in Redis for `ttlMs` (24 h by default):
 * one hash per activity, field = inbox, value = JSON DeliveryStatus. Terminal states are also
 * archived to Postgres by DeliveryRecordsRepository.
 */
export class DeliveryStatusRepository {
  private readonly setScript;

  constructor(
    private readonly redis: RedisConnection,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
  ) {
    this.setScript = defineScript(redis, 'deliveryStatusSet', 1, SET);
  }

  /** Records `queued` for inboxes without a status yet (a re-run fan-out never resets progress). */
  async markQueued(activityId: string, entries: ReadonlyArray<{ inbox: string; host: string }>, activityType: string, now: number): Promise<void> {
    if (entries.length === 0) return;
    const key = DeliveryKeys.status(activityId);
    const pipeline = this.redis.pipeline();
    for (const { inbox, host } of entries) {
      const status: DeliveryStatus = { state: 'queued', host, activityType, attempts: 0, history: [], updatedAt: now };
      pipeline.hsetnx(key, inbox, JSON.stringify(status));
    }
    pipeline.pexpire(key, this.ttlMs);
    await pipeline.exec();
  }

  async get(activityId: string, inbox: string): Promise<DeliveryStatus | undefined> {
    return parse(await this.redis.hget(DeliveryKeys.status(activityId), inbox));
  }

  async set(activityId: string, inbox: string, status: DeliveryStatus): Promise<void> {
    await this.setScript(DeliveryKeys.status(activityId), inbox, JSON.stringify(status), this.ttlMs);
  }

  /** Every destination of an activity (within the TTL). */
  async ofActivity(activityId: string): Promise<Map<string, DeliveryStatus>> {
    const raw = await this.redis.hgetall(DeliveryKeys.status(activityId));
    const out = new Map<string, DeliveryStatus>();
    for (const [inbox, value] of Object.entries(raw)) {
      const status = parse(value);
      if (status) out.set(inbox, status);
    }
    return out;
  }
}

function parse(raw: string | null | undefined): DeliveryStatus | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as DeliveryStatus;
  } catch {
    return undefined;
  }
}
