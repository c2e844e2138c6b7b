import { Inject, Injectable } from '@nestjs/common';
import { MONITOR_REDIS } from '@peerfed/monitor/data-access';
import { type RedisConnection } from '@peerfed/platform/streams';
import { ADMIN_SETTINGS, type AdminSettings } from '../admin-settings.types';
import { parseInfo } from '../streams/redis-reply.util';

export interface MemoryStatus {
  readonly info: Record<string, string>;
  readonly usedMemoryBytes: number;
  /** 0 = no limit configured. */
  readonly maxMemoryBytes: number;
  readonly usedPercent: number | null;
  readonly thresholdPercent: number;
  readonly pressure: boolean;
}

const REPORTED = ['used_memory', 'used_memory_human', 'used_memory_rss', 'used_memory_peak', 'used_memory_peak_human', 'maxmemory', 'maxmemory_human', 'maxmemory_policy', 'mem_fragmentation_ratio', 'used_memory_dataset'];

/** Redis INFO memory and whether it counts as memory pressure (used over the threshold of maxmemory). */
@Injectable()
export class MemoryReader {
  constructor(
    @Inject(MONITOR_REDIS) private readonly redis: RedisConnection,
    @Inject(ADMIN_SETTINGS) private readonly settings: AdminSettings,
  ) {}

  async status(): Promise<MemoryStatus> {
    // On a cluster this is the node the client picks; per-node memory belongs to the Redis exporter.
    const info = parseInfo(await this.redis.info('memory'));
    const used = Number(info['used_memory'] ?? 0);
    const max = Number(info['maxmemory'] ?? 0);
    const usedPercent = max > 0 ? (100 * used) / max : null;
    const thresholdPercent = this.settings.lifecycle.memoryPressurePercent;
    return {
      info: Object.fromEntries(REPORTED.filter((k) => info[k] !== undefined).map((k) => [k, info[k]])),
      usedMemoryBytes: used,
      maxMemoryBytes: max,
      usedPercent,
      thresholdPercent,
      pressure: usedPercent !== null && usedPercent >= thresholdPercent,
    };
  }

  /** MEMORY USAGE of a key in bytes, null when it does not exist. */
  async keyBytes(key: string): Promise<number | null> {
    const bytes = (await this.redis.call('MEMORY', 'USAGE', key)) as number | null;
    return bytes === null ? null : Number(bytes);
  }
}
