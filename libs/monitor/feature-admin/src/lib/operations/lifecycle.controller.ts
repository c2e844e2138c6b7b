import { Body, ConflictException, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOperation } from '@nestjs/swagger';
import { AuditLogRepository, MONITOR_CLOCK, type MonitorClock } from '@peerfed/monitor/data-access';
import { Admin } from '../auth/admin.decorator';
import { type AdminPrincipal } from '../auth/admin-principal.types';
import { AdminController } from '../common/admin-api.decorator';
import { ReasonDto } from '../common/reason.dto';
import { type LifecycleReport } from '../lifecycle/lifecycle-report.types';
import { LifecycleService } from '../lifecycle/lifecycle.service';

@AdminController('lifecycle', 'memory')
export class LifecycleController {
  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly audit: AuditLogRepository,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
  ) {}

  @Post('run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the lifecycle job now (trim, archive, expire); audited' })
  @ApiConflictResponse({ description: 'Another replica is running it' })
  async run(@Body() body: ReasonDto, @Admin() admin: AdminPrincipal): Promise<LifecycleReport> {
    await this.audit.appendNow({ actor: admin.actor, action: 'lifecycle.run', target: 'lifecycle', reason: body.reason, at: this.clock.now() });
    const report = await this.lifecycle.run();
    if (!report) throw new ConflictException('The lifecycle job is running elsewhere; see GET /api/v1/admin/memory for its last run');
    return report;
  }
}
