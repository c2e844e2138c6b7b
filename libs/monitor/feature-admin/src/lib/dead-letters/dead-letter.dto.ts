import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ReasonDto } from '../common/reason.dto';
import { PageQueryDto } from '../common/page-query.dto';
import { ENTRY_ID, HOST_NAME, STREAM_NAME } from '../common/stream-name.util';

const FAILURES = ['invalid', 'handler-error', 'max-deliveries'] as const;

export class DeadLetterQueryDto {
  @ApiProperty({ example: 'delivery.tasks.v1' })
  @Matches(STREAM_NAME, { message: 'stream must be a stream name like delivery.tasks.v1' })
  stream!: string;

  @ApiPropertyOptional({ description: 'Consumer group it failed in' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  group?: string;

  @ApiPropertyOptional({ enum: FAILURES, description: 'Why it died' })
  @IsOptional()
  @IsIn(FAILURES)
  failure?: string;

  @ApiPropertyOptional({ description: 'Envelope message type' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, { message: 'type must be a message type like delivery.task' })
  type?: string;

  @ApiPropertyOptional({ description: 'Destination host named by the payload' })
  @IsOptional()
  @Matches(HOST_NAME, { message: 'host must be a host name, optionally with :port' })
  host?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ description: 'Cursor: the nextCursor of the previous page' })
  @IsOptional()
  @Matches(ENTRY_ID, { message: 'after must be a stream entry id like 1700000000000-0' })
  after?: string;
}

export class ReplayDeadLettersDto extends ReasonDto {
  @ApiProperty({ example: 'delivery.tasks.v1' })
  @Matches(STREAM_NAME, { message: 'stream must be a stream name like delivery.tasks.v1' })
  stream!: string;

  @ApiPropertyOptional({ type: [String], description: 'Replay exactly these entries; otherwise every entry matching the filter fields' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Matches(ENTRY_ID, { each: true, message: 'ids must be stream entry ids' })
  ids?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  group?: string;

  @ApiPropertyOptional({ enum: FAILURES })
  @IsOptional()
  @IsIn(FAILURES)
  failure?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, { message: 'type must be a message type like delivery.task' })
  type?: string;

  @ApiPropertyOptional({ description: 'Replay everything for one destination host' })
  @IsOptional()
  @Matches(HOST_NAME, { message: 'host must be a host name, optionally with :port' })
  host?: string;
}

export class PurgeDeadLettersDto extends ReasonDto {
  @ApiProperty({ example: 'delivery.tasks.v1' })
  @Matches(STREAM_NAME, { message: 'stream must be a stream name like delivery.tasks.v1' })
  stream!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Matches(ENTRY_ID, { each: true, message: 'ids must be stream entry ids' })
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
