import { defineStream } from '@peerfed/shared/contracts';
import { IsInt } from 'class-validator';
import { lastValueFrom } from 'rxjs';
import { PublishFailedException } from './publish-failed.exception';
import { RedisStreamsClient } from './redis-streams.client';

class Reading {
  @IsInt()
  value!: number;
}
const Readings = defineStream({ stream: 'unit.readings.v1', type: 'reading.taken', schemaVersion: 1, payload: Reading });

describe('RedisStreamsClient', () => {
  // Nothing listens on port 1: any attempt to connect would fail loudly.
  const options = { url: 'redis://127.0.0.1:1', retryAttempts: 0 };

  it('with validateOnPublish, rejects an invalid payload before touching Redis', async () => {
    const client = new RedisStreamsClient({ ...options, validateOnPublish: true });
    const error = await client.publishMessage(Readings, { value: 1.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishFailedException);
    expect((error as Error).message).toBe('Publishing to "unit.readings.v1" failed: invalid message: payload.value: value must be an integer number');
    expect(() => client.unwrap()).toThrow(/Not initialized/);
  });

  it('fails emit() and publishMessage() instead of hanging when Redis is down', async () => {
    const client = new RedisStreamsClient({ ...options, contracts: [Readings], publishTimeoutMs: 2000 });
    await expect(lastValueFrom(client.emit(Readings.stream, { value: 1 }))).rejects.toThrow(/Connection is closed|ECONNREFUSED/);
    const known = new RedisStreamsClient({ ...options, contracts: [Readings], publishTimeoutMs: 2000 });
    await expect(known.publishMessage(Readings, { value: 1 })).rejects.toThrow(/ECONNREFUSED|Connection is closed|did not answer/);
    await client.close();
    await known.close();
  });

  it('rejects an unknown default priority', () => {
    expect(() => new RedisStreamsClient({ ...options, defaultPriority: 'urgent' as never })).toThrow(/unknown defaultPriority "urgent"/);
  });

  it('has a reply stream of its own', () => {
    const a = new RedisStreamsClient(options);
    const b = new RedisStreamsClient(options);
    expect(a.replyStream).toMatch(/^\{rpc\.[0-9a-f-]{36}\}:reply$/);
    expect(a.replyStream).not.toBe(b.replyStream);
  });
});
