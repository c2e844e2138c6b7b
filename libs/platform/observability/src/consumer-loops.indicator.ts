import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ConsumerHealthRegistry } from './consumer-health.registry';
import { type ReadinessIndicator } from './readiness.types';

/** Down when any registered transport reports a dead consumer loop; up with none registered. */
@Injectable()
export class ConsumerLoopsIndicator implements ReadinessIndicator {
  constructor(
    private readonly registry: ConsumerHealthRegistry,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('consumers');
    const reports = this.registry.reports();
    const details = { transports: reports.map((report) => ({ up: report.up, loops: report.loops })) };
    return Promise.resolve(reports.every((report) => report.up) ? session.up(details) : session.down(details));
  }
}
