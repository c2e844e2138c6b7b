import { BatchQueue, type RedisConnection } from '@peerfed/platform/streams';
import { DeliveryKeys } from './delivery-keys.util';
import { type DeliveryStatus } from './delivery-status.types';
import { defineScript } from './redis-script.util';

// KEYS[1]: the status hash of an activity. ARGV: ttl ms, then inbox and status JSON pairs (in call
// order: a later write of the same inbox wins). Atomic: the hash never outlives its TTL.
const SET_MANY = `
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])`;

/** Statuses per command (a script's ARGV stays far below Lua's unpack limit). */
const MAX_BATCH = 500;

/**
 * Delivery status per activity and destination inbox, in Redis for `ttlMs` (24 h by default):
 * one hash per activity, field = inbox, value = JSON DeliveryStatus. Terminal states are also
 * archived to Postgres by DeliveryRecordsRepository.
 */
export class DeliveryStatusRepository {
  // The tasks of one activity run together (one stream read wakes them, one group commit ends
  // them): their reads share one HMGET and their writes one script call per event-loop turn.
  private readonly reads: BatchQueue<string, DeliveryStatus | undefined>;
  private readonly writes: BatchQueue<{ inbox: string; json: string }>;

  constructor(
    private readonly redis: RedisConnection,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
  ) {
    const setMany = defineScript(redis, 'deliveryStatusSetMany', 1, SET_MANY);
    this.reads = new BatchQueue(async (key, inboxes) => (await redis.hmget(key, ...inboxes)).map(parse), MAX_BATCH);
    this.writes = new BatchQueue((key, entries) => setMany(key, this.ttlMs, ...entries.flatMap((entry) => [entry.inbox, entry.json])), MAX_BATCH);
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

  get(activityId: string, inbox: string): Promise<DeliveryStatus | undefined> {
    return this.reads.add(DeliveryKeys.status(activityId), inbox);
  }

  set(activityId: string, inbox: string, status: DeliveryStatus): Promise<void> {
    return this.writes.add(DeliveryKeys.status(activityId), { inbox, json: JSON.stringify(status) });
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
