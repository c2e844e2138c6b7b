import { Injectable } from '@nestjs/common';
import { type ConsumerHealthReport, type ConsumerHealthSource } from './readiness.types';

/** The consumer transports of this app (registered at bootstrap), polled by readiness. */
@Injectable()
export class ConsumerHealthRegistry {
  private readonly sources: ConsumerHealthSource[] = [];

  register(source: ConsumerHealthSource): void {
    this.sources.push(source);
  }

  reports(): ConsumerHealthReport[] {
    return this.sources.map((source) => source.health());
  }
}
