import { Inject, Injectable } from '@nestjs/common';
import { CIRCUIT_CONFIG, type HostChangeResult, HostStateService } from '@peerfed/monitor/data-access';
import { blockHost, type CircuitConfig, type CircuitResult, type CircuitState, recordContact, resetCircuit, unblockHost } from '@peerfed/monitor/domain';

export type CircuitCommand = 'reset' | 'block' | 'unblock';

/**
 * Manual circuit actions by an admin, each recorded with who and why (transition history and
 * audit log in the same transaction) and published to delivery at once.
 */
@Injectable()
export class CircuitCommandsService {
  constructor(
    private readonly hosts: HostStateService,
    @Inject(CIRCUIT_CONFIG) private readonly config: CircuitConfig,
  ) {}

  run(command: CircuitCommand, host: string, actor: string, reason: string): Promise<HostChangeResult> {
    const action = ACTIONS[command];
    return this.hosts.apply(
      host,
      (current, now) => {
        const result = action(current.circuit, now, actor, reason, this.config);
        // An admin who resets a host vouches for it: that is contact for the unavailable rule too.
        const availability = command === 'reset' ? recordContact(current.availability, now, 'manual').state : current.availability;
        return { states: { ...current, circuit: result.state, availability }, transitions: result.transitions };
      },
      { actor, action: `instance.${command}`, target: host.trim().toLowerCase(), reason },
    );
  }
}

type Action = (state: CircuitState, now: number, actor: string, reason: string, config: CircuitConfig) => CircuitResult;

const ACTIONS: Readonly<Record<CircuitCommand, Action>> = { reset: resetCircuit, block: blockHost, unblock: unblockHost };
