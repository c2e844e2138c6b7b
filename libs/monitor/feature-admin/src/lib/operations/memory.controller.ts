import { Get, Inject } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { deadLetterKey, laneKeys } from '@peerfed/platform/streams';
import { ADMIN_SETTINGS, type AdminSettings, type LifecycleSettings } from '../admin-settings.types';
import { AdminController } from '../common/admin-api.decorator';
import { type LifecycleReport } from '../lifecycle/lifecycle-report.types';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { type MemoryStatus, MemoryReader } from '../lifecycle/memory-reader.service';

export interface MemoryReport {
  readonly memory: MemoryStatus;
  /** MEMORY USAGE of every existing stream key (lanes and dead letters), largest first. */
  readonly keys: Array<{ key: string; bytes: number }>;
  readonly policy: LifecycleSettings;
  readonly lastRun: LifecycleReport | null;
}

@AdminController('memory', 'memory')
export class MemoryController {
  constructor(
    private readonly memory: MemoryReader,
    private readonly lifecycle: LifecycleService,
    @Inject(ADMIN_SETTINGS) private readonly settings: AdminSettings,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Redis INFO memory, memory pressure, MEMORY USAGE per stream key, the trimming policy and the last lifecycle run' })
  async report(): Promise<MemoryReport> {
    const keys: Array<{ key: string; bytes: number }> = [];
    for (const stream of this.settings.streams) {
      for (const key of [...laneKeys(stream), deadLetterKey(stream)]) {
        const bytes = await this.memory.keyBytes(key);
        if (bytes !== null) keys.push({ key, bytes });
      }
    }
    keys.sort((a, b) => b.bytes - a.bytes);
    return { memory: await this.memory.status(), keys, policy: this.settings.lifecycle, lastRun: await this.lifecycle.lastRun() };
  }
}
