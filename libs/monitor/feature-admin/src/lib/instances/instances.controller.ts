import { Body, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation } from '@nestjs/swagger';
import { type InstanceEntity, InstanceRepository, MONITOR_CLOCK, type MonitorClock, statesOf } from '@peerfed/monitor/data-access';
import { healthSnapshot } from '@peerfed/monitor/domain';
import { type CircuitCommand, CircuitCommandsService } from '@peerfed/monitor/feature-health';
import { Admin } from '../auth/admin.decorator';
import { type AdminPrincipal } from '../auth/admin-principal.types';
import { AdminController } from '../common/admin-api.decorator';
import { type Page, pageOf } from '../common/page.util';
import { ReasonDto } from '../common/reason.dto';
import { HostParamDto } from './host-param.dto';
import { InstanceQueryDto } from './instance-query.dto';

const RECENT = 20;

/** The list view of a host: the queryable columns, without the stored JSON. */
function summary(row: InstanceEntity): Record<string, unknown> {
  return {
    host: row.host,
    status: row.status,
    failureRate: row.failureRate,
    attempts1h: row.attempts1h,
    consecutiveFailures: row.consecutiveFailures,
    openUntil: row.openUntil,
    lastSuccessAt: row.lastSuccessAt,
    lastFailureAt: row.lastFailureAt,
    unavailable: row.unavailable,
    unavailableSince: row.unavailableSince,
    blocked: row.blocked,
    updatedAt: row.updatedAt,
  };
}

@AdminController('instances', 'instances')
export class InstancesController {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly commands: CircuitCommandsService,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Remote instances, filtered (status, host, minFailureRate, unavailable) and sorted' })
  async list(@Query() query: InstanceQueryDto): Promise<Page<Record<string, unknown>>> {
    const { items, total } = await this.instances.list(query);
    return pageOf(items.map(summary), total, query.limit, query.offset);
  }

  @Get(':host')
  @ApiOperation({ summary: 'One host: circuit, health windows (5m/1h/24h, p50/p95), availability, recent transitions and outcomes' })
  @ApiNotFoundResponse({ description: 'The monitor has never heard of this host' })
  async detail(@Param() params: HostParamDto): Promise<Record<string, unknown>> {
    const row = await this.instances.find(params.host);
    if (!row) throw new NotFoundException(`Unknown host ${params.host}`);
    const states = statesOf(row);
    const [transitions, outcomes] = await Promise.all([this.instances.recentTransitions(row.host, RECENT), this.instances.recentRecords(row.host, RECENT)]);
    return {
      ...summary(row),
      circuit: states.circuit,
      health: healthSnapshot(states.health, this.clock.now()),
      availability: states.availability,
      recentTransitions: transitions,
      recentOutcomes: outcomes,
    };
  }

  @Post(':host/reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the circuit and clear its counters (and the unavailable mark); audited' })
  reset(@Param() params: HostParamDto, @Body() body: ReasonDto, @Admin() admin: AdminPrincipal): Promise<Record<string, unknown>> {
    return this.run('reset', params.host, body.reason, admin);
  }

  @Post(':host/block')
  @HttpCode(200)
  @ApiOperation({ summary: 'Defederate: delivery sends nothing to this host until unblocked; audited' })
  block(@Param() params: HostParamDto, @Body() body: ReasonDto, @Admin() admin: AdminPrincipal): Promise<Record<string, unknown>> {
    return this.run('block', params.host, body.reason, admin);
  }

  @Post(':host/unblock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a block; the circuit status applies again; audited' })
  unblock(@Param() params: HostParamDto, @Body() body: ReasonDto, @Admin() admin: AdminPrincipal): Promise<Record<string, unknown>> {
    return this.run('unblock', params.host, body.reason, admin);
  }

  private async run(command: CircuitCommand, host: string, reason: string, admin: AdminPrincipal): Promise<Record<string, unknown>> {
    const result = await this.commands.run(command, host, admin.actor, reason);
    return { host: result.snapshot.host, snapshot: result.snapshot, transitions: result.transitions };
  }
}
