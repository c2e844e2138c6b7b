import { PRIORITIES, type Priority } from '@peerfed/shared/contracts';
import { type RedisConnection } from './lua-script.util';
import { asArray } from './stream-commands.repository';
import { assertStreamName, laneKey } from './stream-keys.util';
import { SAFE_TRIM } from './stream-scripts.util';

export interface TrimOptions {
  /** Keep entries younger than this even when every group is done with them (retention). */
  maxAgeMs?: number;
  /** Clock for maxAgeMs; default Date.now(). */
  now?: number;
  /** XTRIM with `~` (cheaper; may keep a few more entries). Default true. */
  approximate?: boolean;
}

export interface LaneTrimResult {
  key: string;
  priority: Priority;
  /** Entries below this id were eligible; null when nothing could be trimmed (no stream or no group). */
  minId: string | null;
  trimmed: number;
}

/**
 * Trims the lanes of a stream without ever deleting an entry a group still needs: below the
 * oldest pending entry of every group and below every group's next undelivered entry (computed
 * and trimmed in one script, so no read or claim can slip in between), optionally only entries
 * older than maxAgeMs. A lane without consumer groups is left alone. For the monitor service's schedule.
 */
export async function trimStream(redis: RedisConnection, stream: string, options: TrimOptions = {}): Promise<LaneTrimResult[]> {
  assertStreamName(stream);
  const ageBound = options.maxAgeMs === undefined ? '' : `${Math.max(0, (options.now ?? Date.now()) - options.maxAgeMs)}-0`;
  const results: LaneTrimResult[] = [];
  for (const priority of PRIORITIES) {
    const key = laneKey(stream, priority);
    const [minId, trimmed] = asArray(await SAFE_TRIM.run(redis, [key], [ageBound, options.approximate === false ? '0' : '1']));
    results.push({ key, priority, minId: minId ? String(minId) : null, trimmed: Number(trimmed) });
  }
  return results;
}
