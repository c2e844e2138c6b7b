import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { type FastifyReply } from 'fastify';
import { READINESS_INDICATORS } from './observability.constants';
import { type ReadinessIndicator } from './readiness.types';
import { ShutdownService } from './shutdown.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_INDICATORS) private readonly indicators: readonly ReadinessIndicator[],
    private readonly shutdown: ShutdownService,
  ) {}

  /** The process is up and serving HTTP. Orchestrators restart the pod when this fails. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Postgres, Redis and consumer loops are fine and the service is not shutting down. */
  @Get('ready')
  @ApiOkResponse({ description: 'Ready to receive traffic' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down or the service is shutting down' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult | object> {
    if (this.shutdown.isDraining) {
      reply.status(503);
      return { status: 'error', info: {}, error: { shutdown: { status: 'down' } }, details: { shutdown: { status: 'down' } } };
    }
    try {
      return await this.health.check(this.indicators.map((indicator) => () => indicator.check()));
    } catch (error) {
      // Terminus reports "not ready" as a 503 exception; keep its body rather than the error format.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      const body = error.getResponse();
      return typeof body === 'string' ? { status: 'error', message: body } : body;
    }
  }
}
