import { type RedisConnection } from './lua-script.util';
import { CLAIM_IDLE, DEAD_LETTER, READ_HISTORY, READ_LANES, REAP_CONSUMERS, WRITE_REPLY } from './stream-scripts.util';

export type EntryFields = Record<string, string>;

/** A stream entry as read for a consumer; `fields` is null when the entry was deleted meanwhile. */
export interface DeliveredEntry {
  /** Index of the lane in PRIORITIES (0 = critical). */
  lane: number;
  id: string;
  fields: EntryFields | null;
  /** Delivery count after this delivery (1 for a first read). */
  deliveries: number;
}

export interface ClaimResult {
  cursor: string;
  entries: DeliveredEntry[];
  deletedIds: string[];
}

export interface GroupStats {
  pending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell (Redis < 7, or after deletions). */
  lag: number | null;
}

/** The Redis commands of the transport, over one connection. Replies are checked, not trusted. */
export class StreamCommands {
  constructor(readonly redis: RedisConnection) {}

  /** XGROUP CREATE at id 0 (so nothing published before the group existed is skipped), idempotent. */
  async ensureGroup(keys: readonly string[], group: string): Promise<void> {
    for (const key of keys) {
      try {
        await this.redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
      }
    }
  }

  /** One weighted, non-blocking read over the lanes (see READ_LANES), ordered by lane. */
  async readLanes(keys: readonly string[], group: string, consumer: string, shares: readonly number[], capacity: number): Promise<DeliveredEntry[]> {
    const reply = await READ_LANES.run(this.redis, keys, [group, consumer, ...shares, capacity]);
    const entries: DeliveredEntry[] = [];
    for (const laneReply of asArray(reply)) {
      const [lane, laneEntries] = asArray(laneReply);
      for (const entry of asArray(laneEntries)) entries.push(toEntry(Number(lane), entry, 1));
    }
    return entries.sort((a, b) => a.lane - b.lane);
  }

  /** Blocks up to `blockMs` for new entries on any lane, at most `count` per lane. */
  async readBlocking(keys: readonly string[], group: string, consumer: string, count: number, blockMs: number): Promise<DeliveredEntry[]> {
    const reply: unknown = await this.redis.xreadgroup(
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      ...keys,
      ...keys.map(() => '>'),
    );
    const entries: DeliveredEntry[] = [];
    for (const streamReply of asArray(reply)) {
      const [key, streamEntries] = asArray(streamReply);
      const lane = keys.indexOf(String(key));
      if (lane < 0) throw new Error(`XREADGROUP answered for unknown key ${String(key)}`);
      for (const entry of asArray(streamEntries)) entries.push(toEntry(lane, entry, 1));
    }
    return entries.sort((a, b) => a.lane - b.lane);
  }

  /** This consumer's pending entries of one lane after `afterId`, with delivery counts. */
  async readHistory(key: string, lane: number, group: string, consumer: string, afterId: string, count: number): Promise<DeliveredEntry[]> {
    const [entries, pending] = asArray(await READ_HISTORY.run(this.redis, [key], [group, consumer, afterId, count]));
    const counts = new Map<string, number>();
    for (const row of asArray(pending)) {
      const [id, , , deliveries] = asArray(row);
      counts.set(String(id), Number(deliveries));
    }
    return asArray(entries).map((entry) => {
      const parsed = toEntry(lane, entry, 1);
      parsed.deliveries = counts.get(parsed.id) ?? 1;
      return parsed;
    });
  }

  /** XAUTOCLAIM of entries idle longer than `minIdleMs`, with their delivery counts. */
  async claimIdle(key: string, lane: number, group: string, consumer: string, minIdleMs: number, cursor: string, count: number): Promise<ClaimResult> {
    const [next, entries, counts, deleted] = asArray(await CLAIM_IDLE.run(this.redis, [key], [group, consumer, minIdleMs, cursor, count]));
    const deliveries = asArray(counts).map(Number);
    return {
      cursor: String(next),
      entries: asArray(entries).map((entry, index) => toEntry(lane, entry, deliveries[index] || 1)),
      deletedIds: asArray(deleted).map(String),
    };
  }

  /**
   * Resets the idle time of entries this consumer is still working on (XCLAIM ... JUSTID, which
   * leaves their delivery counts alone), so no other consumer reclaims them as abandoned. Only
   * entries idle at least `minIdleMs` are touched: one another consumer just took is left to it.
   */
  async keepAlive(key: string, group: string, consumer: string, minIdleMs: number, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.xclaim(key, group, consumer, minIdleMs, ...ids, 'JUSTID');
  }

  async ack(key: string, group: string, ids: readonly string[]): Promise<number> {
    return this.redis.xack(key, group, ...ids);
  }

  /** Moves an entry this consumer holds to the dead-letter stream; false if it no longer holds it. */
  async deadLetter(key: string, deadKey: string, group: string, consumer: string, id: string, fields: EntryFields): Promise<boolean> {
    const pairs = Object.entries(fields).flat();
    return Number(await DEAD_LETTER.run(this.redis, [key, deadKey], [group, consumer, id, ...pairs])) === 1;
  }

  async writeReply(replyKey: string, correlationId: string, body: string, ttlMs: number): Promise<void> {
    await WRITE_REPLY.run(this.redis, [replyKey], [correlationId, body, 1000, ttlMs]);
  }

  async reapConsumers(key: string, group: string, minIdleMs: number, self: string): Promise<number> {
    return Number(await REAP_CONSUMERS.run(this.redis, [key], [group, minIdleMs, self]));
  }

  /** Pending and lag of one group on each key (XINFO GROUPS); zeros for a missing key or group. */
  async groupStats(keys: readonly string[], group: string): Promise<GroupStats[]> {
    const stats: GroupStats[] = [];
    for (const key of keys) {
      let groups: unknown[] = [];
      try {
        groups = asArray(await this.redis.xinfo('GROUPS', key));
      } catch (error) {
        if (!(error instanceof Error) || !/no such key/i.test(error.message)) throw error;
      }
      const info = groups.map(pairsToObject).find((g) => g['name'] === group);
      const lag = info?.['lag'];
      stats.push({
        pending: Number(info?.['pending'] ?? 0),
        lag: info === undefined ? 0 : lag === null || lag === undefined ? null : Number(lag),
      });
    }
    return stats;
  }
}

export function asArray(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`Unexpected Redis reply: expected an array, got ${typeof value}`);
  return value;
}

export function pairsToObject(value: unknown): Record<string, unknown> {
  const flat = asArray(value);
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

function toEntry(lane: number, raw: unknown, deliveries: number): DeliveredEntry {
  const [id, fields] = asArray(raw);
  if (typeof id !== 'string') throw new Error('Unexpected Redis reply: stream entry without id');
  if (fields === null || fields === undefined) return { lane, id, fields: null, deliveries };
  const map: EntryFields = {};
  const flat = asArray(fields);
  for (let i = 0; i + 1 < flat.length; i += 2) map[String(flat[i])] = String(flat[i + 1]);
  return { lane, id, fields: map, deliveries };
}
