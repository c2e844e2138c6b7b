import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { INGRESS_REDIS, IngressSettings, type IngressRedis } from '@peerfed/ingress/data-access';
import { createEnvelope, ENVELOPE_FIELD, type InboundActivityPayload, IngressInboundV1, laneKey, type Priority } from '@peerfed/shared/contracts';
import { activityMessageId } from '@peerfed/shared/outbound';
import { Cluster } from 'ioredis';
import { SeenActivitiesRepository, seenKey } from './seen-activities.repository';

// KEYS: pairs (seen id, lane). ARGV: TTL, entry field, then one envelope per pair. Per pair:
// the entry id, 0 when the id was seen already, or "!" and the error when XADD failed (the id
// is then forgotten again, so the sender's retry is accepted).
const SEEN_THEN_XADD = `
local results = {}
for i = 1, #KEYS, 2 do
  local n = (i + 1) / 2
  if redis.call('SET', KEYS[i], '1', 'EX', ARGV[1], 'NX') then
    local added = redis.pcall('XADD', KEYS[i + 1], '*', ARGV[2], ARGV[2 + n])
    if type(added) == 'table' and added.err then
      redis.call('DEL', KEYS[i])
      results[n] = '!' .. added.err
    else
      results[n] = added
    end
  else
    results[n] = 0
  end
end
return results
`;
const SEEN_THEN_XADD_SHA = createHash('sha1').update(SEEN_THEN_XADD).digest('hex');
/** One script call carries at most this many activities, or this many envelope characters. */
const MAX_BATCH_ENTRIES = 64;
const MAX_BATCH_CHARS = 1024 * 1024;

export type EnqueueOutcome = 'queued' | 'duplicate';

interface PendingEntry {
  readonly seenKey: string;
  readonly lane: string;
  readonly envelope: string;
  readonly resolve: (outcome: EnqueueOutcome) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Dedupe by activity id and XADD to ingress.inbound.v1 in the wire format RedisStreamsServer
 * reads (laneKey, ENVELOPE_FIELD, envelope id derived from the activity id).
 *
 * On one Redis, a Lua script does both atomically, and the activities accepted in one turn of
 * the event loop share one script call (flushed on setImmediate): two ioredis commands per
 * request were ~15 % of the inbox's CPU in the benchmark profile, a shared call costs a fraction
 * of one per activity. On Redis Cluster the seen keys and the lane live in different
 * slots, so each activity takes two steps (SET NX, which fails open, then XADD; a failed XADD
 * forgets the id). Rejects when the entry could not be added.
 */
@Injectable()
export class InboundQueueRepository {
  private batch: PendingEntry[] = [];
  private batchChars = 0;

  constructor(
    @Inject(INGRESS_REDIS) private readonly redis: IngressRedis,
    private readonly settings: IngressSettings,
    private readonly seen: SeenActivitiesRepository,
  ) {}

  enqueue(activityId: string, payload: InboundActivityPayload, priority: Priority): Promise<EnqueueOutcome> {
    const envelope = JSON.stringify(createEnvelope(IngressInboundV1, payload, { id: activityMessageId(activityId) }));
    const lane = laneKey(IngressInboundV1.stream, priority);
    if (this.redis instanceof Cluster) return this.enqueueInSteps(activityId, lane, envelope);
    return new Promise((resolve, reject) => {
      if (this.batch.length === 0) setImmediate(() => this.flush());
      this.batch.push({ seenKey: seenKey(activityId), lane, envelope, resolve, reject });
      this.batchChars += envelope.length;
      if (this.batch.length >= MAX_BATCH_ENTRIES || this.batchChars >= MAX_BATCH_CHARS) this.flush();
    });
  }

  private flush(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    this.batchChars = 0;
    const keys = batch.flatMap((entry) => [entry.seenKey, entry.lane]);
    const args = [...keys, this.settings.seenActivityTtlSeconds, ENVELOPE_FIELD, ...batch.map((entry) => entry.envelope)];
    this.redis
      .evalsha(SEEN_THEN_XADD_SHA, keys.length, ...args)
      .catch((error: unknown) => {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return this.redis.eval(SEEN_THEN_XADD, keys.length, ...args);
      })
      .then(
        (replies: unknown) => batch.forEach((entry, index) => settle(entry, Array.isArray(replies) ? (replies as unknown[])[index] : undefined)),
        (error: unknown) => batch.forEach((entry) => entry.reject(error instanceof Error ? error : new Error(String(error)))),
      );
  }

  private async enqueueInSteps(activityId: string, lane: string, envelope: string): Promise<EnqueueOutcome> {
    if (!(await this.seen.markNew(activityId))) return 'duplicate';
    try {
      await this.redis.xadd(lane, '*', ENVELOPE_FIELD, envelope);
    } catch (error) {
      await this.seen.forget(activityId);
      throw error;
    }
    return 'queued';
  }
}

function settle(entry: PendingEntry, reply: unknown): void {
  if (reply === 0) entry.resolve('duplicate');
  else if (typeof reply === 'string' && reply.startsWith('!')) entry.reject(new Error(`XADD failed: ${reply.slice(1)}`));
  else if (typeof reply === 'string') entry.resolve('queued');
  else entry.reject(new Error(`unexpected script reply ${String(reply)}`));
}
