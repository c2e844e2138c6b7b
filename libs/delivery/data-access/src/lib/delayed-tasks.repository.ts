import { laneKeys, type RedisConnection } from '@peerfed/platform/streams';
import { DeliveryTasksV1, ENVELOPE_FIELD, type DeliveryTaskPayload, type Priority, createEnvelope, isPriority } from '@peerfed/shared/contracts';
import { DeliveryKeys } from './delivery-keys.util';
import { defineScript } from './redis-script.util';
import { serializeEnvelope } from './stream-writer.repository';

export interface DelayedTask {
  /** Envelope id of the scheduled try (deterministic per task and attempt, see taskMessageId). */
  id: string;
  payload: DeliveryTaskPayload;
  priority: Priority;
  traceId?: string;
  dueAt: number;
}

// KEYS: the delayed set, then the four lanes in PRIORITIES order. ARGV: now, max entries.
// ZRANGEBYSCORE + XADD + ZREM in one script: a due retry is either still in the set or on its
// lane, never in both and never in neither, whatever crashes around it.
const MOVE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local lanes = { critical = KEYS[2], high = KEYS[3], medium = KEYS[4], low = KEYS[5] }
for _, member in ipairs(due) do
  local sep = string.find(member, '\\n', 1, true)
  local lane = lanes[string.sub(member, 1, sep - 1)] or KEYS[4]
  redis.call('XADD', lane, '*', '${ENVELOPE_FIELD}', string.sub(member, sep + 1))
  redis.call('ZREM', KEYS[1], member)
end
return #due`;

/** Delayed retries and deferrals of delivery tasks: a sorted set scored by due time (epoch ms). */
export class DelayedTasksRepository {
  private readonly moveDueScript;

  constructor(private readonly redis: RedisConnection) {
    this.moveDueScript = defineScript(redis, 'deliveryMoveDue', 5, MOVE_DUE);
  }

  /** Stores the tasks; resolves only once Redis has them (the caller acknowledges after this). */
  async schedule(tasks: readonly DelayedTask[], createdAt = new Date()): Promise<void> {
    if (tasks.length === 0) return;
    const args: Array<string | number> = [];
    for (const task of tasks) {
      const envelope = createEnvelope(DeliveryTasksV1, task.payload, { id: task.id, traceId: task.traceId, createdAt });
      args.push(task.dueAt, `${task.priority}\n${serializeEnvelope(DeliveryTasksV1, envelope)}`);
    }
    await this.redis.zadd(DeliveryKeys.delayed, ...args);
  }

  /** Moves up to `limit` tasks due at `now` back onto their lanes; returns how many moved. */
  async moveDue(now: number, limit = 500): Promise<number> {
    const keys = [DeliveryKeys.delayed, ...laneKeys(DeliveryTasksV1.stream)];
    return Number(await this.moveDueScript(...keys, now, limit));
  }

  async count(): Promise<number> {
    return this.redis.zcard(DeliveryKeys.delayed);
  }

  /** The scheduled tasks (due time, lane, payload), earliest first; for tests and the admin API. */
  async list(limit = 100): Promise<Array<{ dueAt: number; priority: Priority; id: string; payload: DeliveryTaskPayload }>> {
    const raw = await this.redis.zrange(DeliveryKeys.delayed, 0, limit - 1, 'WITHSCORES');
    const out: Array<{ dueAt: number; priority: Priority; id: string; payload: DeliveryTaskPayload }> = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const member = raw[i] ?? '';
      const sep = member.indexOf('\n');
      const lane = member.slice(0, sep);
      const envelope = JSON.parse(member.slice(sep + 1)) as { id: string; payload: DeliveryTaskPayload };
      out.push({ dueAt: Number(raw[i + 1]), priority: isPriority(lane) ? lane : 'medium', id: envelope.id, payload: envelope.payload });
    }
    return out;
  }
}
