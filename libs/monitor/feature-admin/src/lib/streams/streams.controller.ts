import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { AdminController } from '../common/admin-api.decorator';
import { PageQueryDto } from '../common/page-query.dto';
import { type Page, slicePage } from '../common/page.util';
import { STREAM_NAME } from '../common/stream-name.util';
import { StreamInspector } from './stream-inspector.service';
import { type StreamReport } from './stream-report.types';

export class StreamParamDto {
  @ApiProperty({ example: 'delivery.outcomes.v1' })
  @Matches(STREAM_NAME, { message: 'stream must be a stream name like delivery.outcomes.v1' })
  stream!: string;
}

@AdminController('streams', 'streams')
export class StreamsController {
  constructor(private readonly inspector: StreamInspector) {}

  @Get()
  @ApiOperation({
    summary: 'Every known stream: length per priority lane, groups with pending, lag, oldest pending age, consumers and idle times, processing rate over 1 and 5 min, dead letters',
  })
  @ApiOkResponse({ description: 'A page of stream reports' })
  async list(@Query() query: PageQueryDto): Promise<Page<StreamReport>> {
    const names = this.inspector.streams.slice(query.offset, query.offset + query.limit);
    const items: StreamReport[] = [];
    for (const stream of names) items.push(await this.inspector.inspect(stream));
    return { ...slicePage(this.inspector.streams, query.limit, query.offset), items };
  }

  @Get(':stream')
  @ApiOperation({ summary: 'One stream (any valid name, known or not)' })
  inspect(@Param() params: StreamParamDto): Promise<StreamReport> {
    return this.inspector.inspect(params.stream);
  }
}
