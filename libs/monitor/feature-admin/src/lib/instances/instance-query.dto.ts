import { ApiPropertyOptional } from '@nestjs/swagger';
import { INSTANCE_SORT_FIELDS, type InstanceSortField } from '@peerfed/monitor/data-access';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';

export const INSTANCE_STATUSES = ['closed', 'open', 'half-open', 'blocked'] as const;

export class InstanceQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INSTANCE_STATUSES })
  @IsOptional()
  @IsIn(INSTANCE_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Part of the host name' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:-]{1,253}$/, { message: 'host must be part of a host name (letters, digits, ".", "-", ":")' })
  host?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'Failure rate over the last hour at least this' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minFailureRate?: number;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unavailable must be true or false' })
  unavailable?: boolean;

  @ApiPropertyOptional({ enum: INSTANCE_SORT_FIELDS, default: 'failureRate' })
  @IsOptional()
  @IsIn(INSTANCE_SORT_FIELDS)
  sort: InstanceSortField = 'failureRate';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}
