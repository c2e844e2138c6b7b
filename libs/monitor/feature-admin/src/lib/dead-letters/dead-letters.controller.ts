import { BadRequestException, Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type ArchivedDeadLetterEntity, DeadLetterArchiveRepository } from '@peerfed/monitor/data-access';
import { Admin } from '../auth/admin.decorator';
import { type AdminPrincipal } from '../auth/admin-principal.types';
import { AdminController } from '../common/admin-api.decorator';
import { type Page, pageOf } from '../common/page.util';
import { type DeadLetterBrowse, DeadLetterAdminService } from './dead-letter-admin.service';
import { ArchivedQueryDto, DeadLetterQueryDto, PurgeDeadLettersDto, ReplayDeadLettersDto } from './dead-letter.dto';

@AdminController('dead-letters', 'dead letters')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLetterAdminService,
    private readonly archive: DeadLetterArchiveRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Browse the dead letters of a stream, oldest first, filtered by group, failure, message type or host; cursor paging' })
  browse(@Query() query: DeadLetterQueryDto): Promise<DeadLetterBrowse> {
    return this.deadLetters.browse(query.stream, { group: query.group, failure: query.failure, type: query.type, host: query.host }, query.limit, query.after);
  }

  @Get('archived')
  @ApiOperation({ summary: 'Dead letters archived to Postgres (by the lifecycle job or a purge), newest first' })
  async archived(@Query() query: ArchivedQueryDto): Promise<Page<ArchivedDeadLetterEntity>> {
    const { items, total } = await this.archive.list(query);
    return pageOf(items, total, query.limit, query.offset);
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay dead letters onto their lane for the group they failed in: given ids, or all matching the filter (e.g. one host); audited' })
  async replay(@Body() body: ReplayDeadLettersDto, @Admin() admin: AdminPrincipal): Promise<{ replayed: string[] }> {
    const filter = { group: body.group, failure: body.failure, type: body.type, host: body.host };
    if (body.ids && Object.values(filter).some((value) => value !== undefined)) {
      throw new BadRequestException('Give either ids or filter fields (group, failure, type, host), not both');
    }
    return { replayed: await this.deadLetters.replay(body.stream, { ids: body.ids, filter }, admin.actor, body.reason) };
  }

  @Post('purge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive to Postgres, then delete from Redis: given ids, older than olderThanMs, or all; audited' })
  async purge(@Body() body: PurgeDeadLettersDto, @Admin() admin: AdminPrincipal): Promise<{ removed: number }> {
    const selectors = [body.ids !== undefined, body.olderThanMs !== undefined, body.all === true].filter(Boolean).length;
    if (selectors !== 1) throw new BadRequestException('Give exactly one of ids, olderThanMs or all: true');
    return { removed: await this.deadLetters.purge(body.stream, { ids: body.ids, olderThanMs: body.olderThanMs, all: body.all }, admin.actor, body.reason) };
  }
}
