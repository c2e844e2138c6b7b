import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator';
import { type Page, slicePage } from '../common/page.util';
import { PageQueryDto } from '../common/page-query.dto';
import { type RetryGroup } from '../retries/delayed-retries.util';
import { type ScheduledRetries, ScheduledRetriesService } from '../retries/scheduled-retries.service';

export type RetriesReport = Page<RetryGroup> & Omit<ScheduledRetries, 'groups'>;

/** Scheduled retries, read from delivery's delayed-retry sorted set. */
@AdminController('retries', 'retries')
export class RetriesController {
  constructor(private readonly retries: ScheduledRetriesService) {}

  @Get()
  @ApiOperation({
    summary: 'Retries scheduled by delivery, grouped by activity type and attempt, with counts, next due per group and overall',
    description: 'Reads the earliest 5000 entries of delivery\'s delayed set at most (`complete: false` when there are more); groups are paged with limit/offset.',
  })
  async list(@Query() query: PageQueryDto): Promise<RetriesReport> {
    const { groups, ...summary } = await this.retries.report();
    return { ...slicePage(groups, query.limit, query.offset), ...summary };
  }
}
