import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';

export class WindowQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_080, default: 60, description: 'How far back, in minutes' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_080)
  windowMinutes = 60;
}
