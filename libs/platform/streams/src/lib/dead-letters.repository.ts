import { PRIORITIES, type MessageEnvelope, type Priority } from '@peerfed/shared/contracts';
import { type RedisConnection } from './lua-script.util';
import { type DeadLetterReason } from './stream-binding.types';
import { asArray } from './stream-commands.repository';
import { ENVELOPE_FIELD, assertStreamName, deadLetterKey, laneKeys } from './stream-keys.util';
import { REPLAY_DEAD_LETTER } from './stream-scripts.util';

export interface DeadLetter {
  /** Entry id in the dead-letter stream. */
  id: string;
  stream: string;
  /** The group it failed in; a replay is handled by that group only. */
  group: string;
  consumer: string;
  priority: Priority;
  reason: DeadLetterReason | string;
  error: string;
  deliveries: number;
  deadAt: string;
  sourceKey: string;
  sourceId: string;
  /** The original envelope, or null when it was not valid JSON (see rawEnvelope). */
  envelope: MessageEnvelope | null;
  rawEnvelope: string;
}

export interface DeadLetterQuery {
  group?: string;
  reason?: string;
  /** Any further condition, e.g. on envelope.type or the error text. */
  where?: (deadLetter: DeadLetter) => boolean;
}

export interface PurgeOptions {
  /** Delete these entries. */
  ids?: string[];
  /** Delete entries dead for longer than this. */
  olderThanMs?: number;
  /** Delete the whole dead-letter stream. */
  all?: boolean;
  now?: number;
}

const PAGE = 100;

/**
 * Operations on a stream's dead letters: list, replay one / all / by filter back onto the lane
 * they came from (for the group they failed in), and purge. The monitor service archives and
 * expires them; operators replay them after a fix.
 */
export class DeadLetterRepository {
  constructor(private readonly redis: RedisConnection) {}

  async count(stream: string): Promise<number> {
    assertStreamName(stream);
    return this.redis.xlen(deadLetterKey(stream));
  }

  /** Oldest first; `after` (exclusive) pages on. */
  async list(stream: string, options: { count?: number; after?: string } = {}): Promise<DeadLetter[]> {
    assertStreamName(stream);
    const start = options.after ? `(${options.after}` : '-';
    const reply: unknown = await this.redis.xrange(deadLetterKey(stream), start, '+', 'COUNT', options.count ?? PAGE);
    return asArray(reply).map(toDeadLetter);
  }

  /** Puts one dead letter back on its lane; returns the new entry id, or null if it is gone. */
  async replay(stream: string, id: string): Promise<string | null> {
    assertStreamName(stream);
    const reply = await REPLAY_DEAD_LETTER.run(this.redis, [...laneKeys(stream), deadLetterKey(stream)], [id]);
    return typeof reply === 'string' ? reply : null;
  }

  /** Replays every dead letter matching `query` that existed when the call began. */
  async replayAll(stream: string, query: DeadLetterQuery = {}, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
    const replayed: string[] = [];
    await this.forEachMatching(stream, query, async (deadLetter) => {
      if (replayed.length >= limit) return false;
      const id = await this.replay(stream, deadLetter.id);
      if (id) replayed.push(deadLetter.id);
      return true;
    });
    return replayed;
  }

  /** Deletes dead letters; returns how many. */
  async purge(stream: string, options: PurgeOptions): Promise<number> {
    assertStreamName(stream);
    const key = deadLetterKey(stream);
    if (options.all) {
      const count = await this.redis.xlen(key);
      await this.redis.del(key);
      return count;
    }
    let deleted = 0;
    if (options.ids && options.ids.length > 0) deleted += await this.redis.xdel(key, ...options.ids);
    if (options.olderThanMs !== undefined) {
      const bound = (options.now ?? Date.now()) - options.olderThanMs;
      deleted += await this.redis.xtrim(key, 'MINID', `${Math.max(0, bound)}-0`);
    }
    return deleted;
  }

  private async forEachMatching(stream: string, query: DeadLetterQuery, visit: (deadLetter: DeadLetter) => Promise<boolean>): Promise<void> {
    assertStreamName(stream);
    // Stop at the newest entry of now: a replay that fails again must not be met again here.
    const newest = asArray(await this.redis.xrevrange(deadLetterKey(stream), '+', '-', 'COUNT', 1)).map(toDeadLetter)[0];
    if (!newest) return;
    let after: string | undefined;
    for (;;) {
      const page = await this.list(stream, { count: PAGE, after });
      for (const deadLetter of page) {
        if (compareIds(deadLetter.id, newest.id) > 0) return;
        if (query.group !== undefined && deadLetter.group !== query.group) continue;
        if (query.reason !== undefined && deadLetter.reason !== query.reason) continue;
        if (query.where && !query.where(deadLetter)) continue;
        if (!(await visit(deadLetter))) return;
      }
      if (page.length < PAGE) return;
      after = page[page.length - 1].id;
    }
  }
}

function toDeadLetter(raw: unknown): DeadLetter {
  const [id, flat] = asArray(raw);
  const fields = new Map<string, string>();
  const values = asArray(flat).map(String);
  for (let i = 0; i + 1 < values.length; i += 2) fields.set(values[i], values[i + 1]);
  const rawEnvelope = fields.get(ENVELOPE_FIELD) ?? '';
  let envelope: MessageEnvelope | null = null;
  try {
    envelope = JSON.parse(rawEnvelope) as MessageEnvelope;
  } catch {
    envelope = null;
  }
  const priority = fields.get('priority');
  return {
    id: String(id),
    stream: fields.get('stream') ?? '',
    group: fields.get('group') ?? '',
    consumer: fields.get('consumer') ?? '',
    priority: PRIORITIES.find((p) => p === priority) ?? 'medium',
    reason: fields.get('reason') ?? '',
    error: fields.get('error') ?? '',
    deliveries: Number(fields.get('deliveries') ?? 0),
    deadAt: fields.get('deadAt') ?? '',
    sourceKey: fields.get('sourceKey') ?? '',
    sourceId: fields.get('sourceId') ?? '',
    envelope,
    rawEnvelope,
  };
}

/** Orders two stream ids numerically (ms, then sequence). */
export function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt);
  const [bMs, bSeq] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq === bSeq) return 0;
  return aSeq < bSeq ? -1 : 1;
}
