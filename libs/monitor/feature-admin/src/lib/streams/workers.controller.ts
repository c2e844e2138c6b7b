import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator';
import { PageQueryDto } from '../common/page-query.dto';
import { type Page, slicePage } from '../common/page.util';
import { StreamInspector } from './stream-inspector.service';

/** A consumer reads every second (XREADGROUP BLOCK); one silent this long is presumed dead. */
export const WORKER_ALIVE_MS = 30_000;

export interface WorkerReport {
  /** The consumer group: the service the worker belongs to. */
  readonly group: string;
  readonly consumer: string;
  readonly streams: string[];
  readonly pending: number;
  /** Milliseconds since its last read or claim, over all lanes it reads. */
  readonly idleMs: number;
  readonly alive: boolean;
}

@AdminController('workers', 'workers')
export class WorkersController {
  constructor(private readonly inspector: StreamInspector) {}

  @Get()
  @ApiOperation({ summary: `Consumers of every known stream by group (service), their pending messages and last activity; alive = active within ${WORKER_ALIVE_MS / 1000} s` })
  async list(@Query() query: PageQueryDto): Promise<Page<WorkerReport>> {
    const workers = new Map<string, { group: string; consumer: string; streams: Set<string>; pending: number; idleMs: number }>();
    for (const report of await this.inspector.inspectAll()) {
      for (const lane of report.lanes) {
        for (const group of lane.groups) {
          for (const c of group.consumers) {
            const key = `${group.group}\u0000${c.name}`;
            const worker = workers.get(key) ?? { group: group.group, consumer: c.name, streams: new Set<string>(), pending: 0, idleMs: Number.POSITIVE_INFINITY };
            worker.streams.add(report.stream);
            worker.pending += c.pending;
            worker.idleMs = Math.min(worker.idleMs, c.idleMs);
            workers.set(key, worker);
          }
        }
      }
    }
    const all = [...workers.values()]
      .map((w) => ({ group: w.group, consumer: w.consumer, streams: [...w.streams].sort(), pending: w.pending, idleMs: w.idleMs, alive: w.idleMs < WORKER_ALIVE_MS }))
      .sort((a, b) => a.group.localeCompare(b.group) || a.consumer.localeCompare(b.consumer));
    return slicePage(all, query.limit, query.offset);
  }
}
