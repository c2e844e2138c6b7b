import { type RedisConnection } from '@peerfed/platform/streams';
import { DeliveryKeys } from './delivery-keys.util';
import { defineScript } from './redis-script.util';

export interface OrderedDelivery {
  /** Destination host (host[:port], lower case): the hash tag of the lane. */
  host: string;
  orderingKey: string;
  activityId: string;
  inbox: string;
  activityType: string;
  /** When the producer published the activity (epoch ms). */
  publishedAt: number;
}

/** Identifies one delivery in its ordering lane. */
export interface OrderedRef {
  host: string;
  orderingKey: string;
  activityId: string;
  inbox: string;
}

// KEYS[1]: a lane. ARGV: score, member, ttl ms. One command per delivery at fan-out instead of two.
const ENQUEUE = `
redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])`;

// Within one millisecond, Create < Update < Delete (anything else after them).
const TYPE_RANK: Readonly<Record<string, number>> = { Create: 0, Update: 1, Delete: 2 };

/**
 * Per-object ordering at a destination: activities with the same orderingKey (host + object) for
 * the same inbox are sent one at a time in publication order, retries included, so a remote sees Create before
 * Update before Delete. Each key is a sorted set of its pending deliveries scored by
 * publication time; only the head may be sent (SendGateRepository checks that before a send).
 * Entries older than `maxAgeMs` (retries are over by then) are dropped so an abandoned entry
 * cannot block a key forever.
 */
export class OrderingGateRepository {
  private readonly enqueueScript;

  constructor(
    private readonly redis: RedisConnection,
    readonly maxAgeMs: number,
  ) {
    this.enqueueScript = defineScript(redis, 'deliveryOrderEnqueue', 1, ENQUEUE);
  }

  /** Registers deliveries at fan-out; a re-run fan-out keeps their first place (NX). */
  async enqueue(deliveries: readonly OrderedDelivery[]): Promise<void> {
    // One script call per lane, all issued at once (auto-pipelined): the lanes live in different slots.
    await Promise.all(deliveries.map((d) => this.enqueueScript(orderLane(d), orderScore(d.publishedAt, d.activityType), orderMember(d.activityId, d.inbox), this.maxAgeMs)));
  }

  /** The delivery is over (delivered or dead): the next one of its key may go. */
  async release(ref: OrderedRef): Promise<void> {
    await this.redis.zrem(orderLane(ref), orderMember(ref.activityId, ref.inbox));
  }
}

// Per object AND inbox: the same activity sent to two inboxes of one host needs no mutual order.
export function orderLane(ref: { host: string; orderingKey: string; inbox: string }): string {
  return DeliveryKeys.order(ref.host, `${ref.orderingKey}\n${ref.inbox}`);
}

export function orderScore(epochMs: number, activityType: string): number {
  return epochMs * 4 + (TYPE_RANK[activityType] ?? 3);
}

export function orderMember(activityId: string, inbox: string): string {
  return `${activityId}\n${inbox}`;
}
