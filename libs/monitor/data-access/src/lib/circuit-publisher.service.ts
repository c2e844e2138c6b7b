import { Inject, Injectable } from '@nestjs/common';
import { type RedisConnection } from '@peerfed/platform/streams';
import { CIRCUIT_CHANGES_CHANNEL, CIRCUIT_STATE_KEY, type CircuitSnapshot } from '@peerfed/shared/contracts';
import { MONITOR_REDIS } from './monitor-tokens.util';

/**
 * Writes a host's circuit snapshot where delivery replicas read it (hash field = host) and
 * announces it on the changes channel, so replicas refresh within a second without polling.
 */
@Injectable()
export class CircuitPublisher {
  constructor(@Inject(MONITOR_REDIS) private readonly redis: RedisConnection) {}

  async publish(snapshot: CircuitSnapshot): Promise<void> {
    const json = JSON.stringify(snapshot);
    await this.redis.hset(CIRCUIT_STATE_KEY, snapshot.host, json);
    await this.redis.publish(CIRCUIT_CHANGES_CHANNEL, json);
  }

  async read(host: string): Promise<string | null> {
    return this.redis.hget(CIRCUIT_STATE_KEY, host);
  }
}
