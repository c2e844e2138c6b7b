import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { type ReadinessIndicator } from './readiness.types';

/** SELECT 1 on the service's TypeORM data source, within one second. */
@Injectable()
export class PostgresIndicator implements ReadinessIndicator {
  // TypeOrmHealthIndicator is transient-scoped in Terminus 12: constructor injection gives this
  // indicator its own instance (ModuleRef.get() would throw; tests use resolve()).
  constructor(private readonly typeOrm: TypeOrmHealthIndicator) {}

  check(): PromiseLike<HealthIndicatorResult> {
    return this.typeOrm.pingCheck('postgres').withTimeout(1000);
  }
}
