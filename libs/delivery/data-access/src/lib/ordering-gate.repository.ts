import { type RedisConnection } from '@peerfed/platform/streams';
import { DeliveryKeys } from './delivery-keys.util';
import { defineScript } from './redis-script.util';

export interface OrderedDelivery {
  orderingKey: string;
  activityId: string;
  inbox: string;
  activityType: string;
  /** When the producer published the activity (epoch ms). */
  publishedAt: number;
}

// Within one millisecond, Create < Update < Delete (anything else after them).
const TYPE_RANK: Readonly<Record<string, number>> = { Create: 0, Update: 1, Delete: 2 };

// KEYS[1]: the lane of one ordering key. ARGV: member, oldest score kept.
// Returns '' when the member may go (it is the head, or not in the lane: a replay), else the head.
const HEAD = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if not head or head == ARGV[1] then return '' end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false then return '' end
return head`;

/**
 * Per-object ordering at a destination: activities with the same orderingKey (host + object) for
 * the same inbox are sent one at a time in publication order, retries included, so a remote sees Create before
 * Update before Delete. Each key is a sorted set of its pending deliveries scored by
 * publication time; only the head may be sent. Entries older than `maxAgeMs` (retries are over by
 * then) are dropped so an abandoned entry cannot block a key forever.
 */
export class OrderingGateRepository {
  private readonly head;

  constructor(
    private readonly redis: RedisConnection,
    private readonly maxAgeMs: number,
  ) {
    this.head = defineScript(redis, 'deliveryOrderHead', 1, HEAD);
  }

  /** Registers deliveries at fan-out; a re-run fan-out keeps their first place (NX). */
  async enqueue(deliveries: readonly OrderedDelivery[]): Promise<void> {
    // One command per key: the keys live in different cluster slots.
    await Promise.all(
      deliveries.map(async (d) => {
        const key = laneOf(d.orderingKey, d.inbox);
        await this.redis.zadd(key, 'NX', score(d.publishedAt, d.activityType), member(d.activityId, d.inbox));
        await this.redis.pexpire(key, this.maxAgeMs);
      }),
    );
  }

  /** undefined when the delivery may be sent now; otherwise the delivery ahead of it. */
  async blockedBy(orderingKey: string, activityId: string, inbox: string, now: number): Promise<{ activityId: string; inbox: string } | undefined> {
    const head = String(await this.head(laneOf(orderingKey, inbox), member(activityId, inbox), score(now - this.maxAgeMs, 'Create')));
    if (head === '') return undefined;
    const [headActivity = '', headInbox = ''] = head.split('\n');
    return { activityId: headActivity, inbox: headInbox };
  }

  /** The delivery is over (delivered or dead): the next one of its key may go. */
  async release(orderingKey: string, activityId: string, inbox: string): Promise<void> {
    await this.redis.zrem(laneOf(orderingKey, inbox), member(activityId, inbox));
  }
}

// Per object AND inbox: the same activity sent to two inboxes of one host needs no mutual order.
function laneOf(orderingKey: string, inbox: string): string {
  return DeliveryKeys.order(`${orderingKey}\n${inbox}`);
}

function score(epochMs: number, activityType: string): number {
  return epochMs * 4 + (TYPE_RANK[activityType] ?? 3);
}

function member(activityId: string, inbox: string): string {
  return `${activityId}\n${inbox}`;
}
