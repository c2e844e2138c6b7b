import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CIRCUIT_CONFIG, HostStateService, InstanceRepository, MONITOR_CLOCK, type MonitorClock } from '@peerfed/monitor/data-access';
import { advanceCircuit, type CircuitConfig } from '@peerfed/monitor/domain';
import { PeriodicJob } from '@peerfed/shared/util';
import { HEALTH_SETTINGS, type HealthSettings } from './health-settings.types';

const BATCH = 100;

/**
 * Turns open circuits half-open when their recovery timeout has passed, so the published snapshot
 * (and the admin view) change without waiting for the next outcome. Safe on every replica: each
 * host is advanced under its row lock and a second replica finds nothing left to do.
 */
@Injectable()
export class CircuitRecoveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CircuitRecoveryService.name);
  private readonly passes = new PeriodicJob(() => this.advanceDue(), (error) => this.logger.error({ msg: 'circuit recovery tick failed', err: error }));

  constructor(
    private readonly instances: InstanceRepository,
    private readonly hosts: HostStateService,
    @Inject(CIRCUIT_CONFIG) private readonly config: CircuitConfig,
    @Inject(MONITOR_CLOCK) private readonly clock: MonitorClock,
    @Inject(HEALTH_SETTINGS) private readonly settings: HealthSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.recoveryIntervalMs <= 0) return;
    this.passes.start(this.settings.recoveryIntervalMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass (never two at once in this process); returns how many circuits changed. */
  tick(): Promise<number> {
    return this.passes.runNow();
  }

  private async advanceDue(): Promise<number> {
    let changed = 0;
    for (const host of await this.instances.dueForRecovery(this.clock.now(), BATCH)) {
      const result = await this.hosts.apply(host, (current, now) => {
        const advanced = advanceCircuit(current.circuit, now, this.config);
        return { states: { ...current, circuit: advanced.state }, transitions: advanced.transitions };
      });
      if (result.transitions.length > 0) {
        changed++;
        this.logger.log({ msg: 'circuit half-open', host });
      }
    }
    return changed;
  }
}
