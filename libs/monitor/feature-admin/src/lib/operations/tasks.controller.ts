import { Get, Inject, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { DeliveryRecordRepository, MONITOR_CLOCK, type MonitorClock, type TaskMetricsRow } from '@peerfed/monitor/data-access';
import { AdminController } from '../common/admin-api.decorator';
import { type Page, slicePage } from '../common/page.util';
import { WindowQueryDto } from './window-query.dto';

@AdminController('tasks', 'tasks')
export class TasksController {
  constructor(
    private readonly records: DeliveryRecordRepository,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Recent delivery task metrics by activity type and outcome (count, average latency, highest attempt), from the delivery records' })
  async list(@Query() query: WindowQueryDto): Promise<Page<TaskMetricsRow> & { since: string }> {
    const since = this.clock.now() - query.windowMinutes * 60_000;
    const rows = await this.records.metricsSince(since);
    return { ...slicePage(rows, query.limit, query.offset), since: new Date(since).toISOString() };
  }
}
