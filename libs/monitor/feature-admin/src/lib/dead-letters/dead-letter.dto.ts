import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { LimitQueryDto } from '../common/limit-query.dto';
import { PageQueryDto } from '../common/page-query.dto';
import { ReasonDto } from '../common/reason.dto';
import { ENTRY_ID, STREAM_NAME } from '../common/stream-name.util';
import { EntryIdsField, FailureFilter, GroupFilter, HostFilter, MessageTypeFilter, StreamField } from './dead-letter-fields.util';

/** Cursor paging (`after`), not offsets: the dead-letter stream changes while an operator pages. */
export class DeadLetterQueryDto extends LimitQueryDto {
  @StreamField()
  stream!: string;

  @GroupFilter('Consumer group it failed in')
  group?: string;

  @FailureFilter('Why it died')
  failure?: string;

  @MessageTypeFilter('Envelope message type')
  type?: string;

  @HostFilter('Destination host named by the payload')
  host?: string;

  @ApiPropertyOptional({ description: 'Cursor: the nextCursor of the previous page' })
  @IsOptional()
  @Matches(ENTRY_ID, { message: 'after must be a stream entry id like 1700000000000-0' })
  after?: string;
}

export class ReplayDeadLettersDto extends ReasonDto {
  @StreamField()
  stream!: string;

  @EntryIdsField('Replay exactly these entries; otherwise every entry matching the filter fields')
  ids?: string[];

  @GroupFilter()
  group?: string;

  @FailureFilter()
  failure?: string;

  @MessageTypeFilter()
  type?: string;

  @HostFilter('Replay everything for one destination host')
  host?: string;
}

export class PurgeDeadLettersDto extends ReasonDto {
  @StreamField()
  stream!: string;

  @EntryIdsField()
  ids?: string[];

  @ApiPropertyOptional({ description: 'Purge entries dead for longer than this (ms)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  olderThanMs?: number;

  @ApiPropertyOptional({ description: 'Purge the whole dead-letter stream' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}

export class ArchivedQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(STREAM_NAME, { message: 'stream must be a stream name like delivery.tasks.v1' })
  stream?: string;
}
