import { Get, Inject, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { DeliveryRecordRepository, MONITOR_CLOCK, type MonitorClock } from '@peerfed/monitor/data-access';
import { AdminController } from '../common/admin-api.decorator';
import { type Page, slicePage } from '../common/page.util';
import { WindowQueryDto } from './window-query.dto';

export interface RetryRow {
  readonly activityType: string;
  /** The attempt that failed; the retry scheduled after it is attempt + 1. */
  readonly attempt: number;
  readonly count: number;
}

/**
 * Delivery does not publish its retry schedule yet (no documented sorted-set keys), so this
 * reports what the monitor sees: retryable outcomes by activity type and attempt. `nextDueAt`
 * stays null until delivery documents its schedule keys.
 */
@AdminController('retries', 'retries')
export class RetriesController {
  constructor(
    private readonly records: DeliveryRecordRepository,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Retries scheduled by delivery, by activity type and attempt (from retryable outcomes); next due when delivery publishes its schedule' })
  async list(@Query() query: WindowQueryDto): Promise<Page<RetryRow> & { source: string; nextDueAt: null }> {
    const rows = await this.records.retriesSince(this.clock.now() - query.windowMinutes * 60_000);
    return { ...slicePage(rows, query.limit, query.offset), source: 'delivery.outcomes.v1 (retryable outcomes)', nextDueAt: null };
  }
}
