import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsHttpUrl } from '@peerfed/shared/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { ReasonDto } from '../common/reason.dto';
import { LimitQueryDto } from '../common/limit-query.dto';
import { HostFilter } from '../dead-letters/dead-letter-fields.util';

const ACTIVITY_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const FAILURE = /^[A-Za-z0-9_.:-]{1,64}$/;
/** delivery.admin.v1 returns at most this many dead letters per command. */
export const DELIVERY_LIST_MAX = 10_000;

/**
 * Filters of delivery's dead letters (all given ones must match). `failure` is delivery's
 * reason code for the dead letter (sent as the command's `reason`; the body's `reason` is the
 * admin's audited why).
 */
export class DeliveryDeadLetterFilterDto {
  @HostFilter('Destination host[:port], e.g. mastodon.example')
  host?: string;

  @ApiPropertyOptional({ example: 'https://peerfed.example/activities/1' })
  @IsOptional()
  @IsHttpUrl({ message: 'activityId must be an http(s) URL' })
  activityId?: string;

  @ApiPropertyOptional({ example: 'Create' })
  @IsOptional()
  @Matches(ACTIVITY_TYPE, { message: 'activityType must be an ActivityStreams type like Create' })
  activityType?: string;

  @ApiPropertyOptional({ example: 'permanent', description: 'Why delivery dead-lettered it (its reason code)' })
  @IsOptional()
  @Matches(FAILURE, { message: 'failure must be 1-64 letters, digits or _.:-' })
  failure?: string;
}

export class DeliveryDeadLetterQueryDto extends IntersectionType(DeliveryDeadLetterFilterDto, LimitQueryDto) {
  @ApiPropertyOptional({ minimum: 0, maximum: DELIVERY_LIST_MAX - 1, default: 0, description: `Delivery lists at most ${DELIVERY_LIST_MAX} per command, so offset + limit is capped there` })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(DELIVERY_LIST_MAX - 1)
  offset = 0;
}

/** replay / purge: ids and/or filters, or all: true; `reason` is audited. */
export class DeliveryDeadLetterMutationDto extends IntersectionType(ReasonDto, DeliveryDeadLetterFilterDto) {
  @ApiPropertyOptional({ type: [String], description: 'Dead letter ids (UUIDs from the list); combined with the filters when both are given' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'ids must be dead letter ids (UUIDs)' })
  ids?: string[];

  @ApiPropertyOptional({ description: 'Every dead letter (required when no id or filter is given; not combinable with them)' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}
