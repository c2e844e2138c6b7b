import { Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional } from '@nestjs/swagger';
import { type AdminAuditEntity, AuditLogRepository } from '@peerfed/monitor/data-access';
import { IsOptional, IsString, Length } from 'class-validator';
import { AdminController } from '../common/admin-api.decorator';
import { PageQueryDto } from '../common/page-query.dto';
import { type Page, pageOf } from '../common/page.util';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'A host or stream name' })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  target?: string;
}

@AdminController('audit', 'audit')
export class AuditController {
  constructor(private readonly audit: AuditLogRepository) {}

  @Get()
  @ApiOperation({ summary: 'The admin audit log (who, what, why, when), newest first' })
  async list(@Query() query: AuditQueryDto): Promise<Page<AdminAuditEntity>> {
    const { items, total } = await this.audit.list(query);
    return pageOf(items, total, query.limit, query.offset);
  }
}
