import { type AvailabilityState, type CircuitState, type CircuitTransition, type InstanceHealthState } from '@peerfed/monitor/domain';
import { type CircuitSnapshot } from '@peerfed/shared/contracts';

/** The three domain states the monitor keeps per remote host. */
export interface HostStates {
  readonly circuit: CircuitState;
  readonly health: InstanceHealthState;
  readonly availability: AvailabilityState;
}

/** What a change to a host produced: new states and the circuit transitions to record and publish. */
export interface HostChange {
  readonly states: HostStates;
  readonly transitions: readonly CircuitTransition[];
  /** Whether the host was marked or cleared unavailable by this change. */
  readonly availabilityChanged?: boolean;
}

export interface HostChangeResult extends HostChange {
  readonly snapshot: CircuitSnapshot;
}
