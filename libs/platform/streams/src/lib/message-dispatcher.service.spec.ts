import { createEnvelope, defineStream } from '@peerfed/shared/contracts';
import { IsInt, Min } from 'class-validator';
import { Registry } from 'prom-client';
import { lastValueFrom, throwError, of } from 'rxjs';
import { BatchQueue } from './batch-queue.util';
import { ConcurrencyLimiter } from './concurrency-limiter.util';
import { MessageDispatcher, ackQueueKey } from './message-dispatcher.service';
import { type RedisStreamsContext } from './redis-streams-context.types';
import { type StreamBinding } from './stream-binding.types';
import { type DeliveredEntry, type EntryFields, type StreamCommands } from './stream-commands.repository';
import { deadLetterKey, laneKeys, replyKey } from './stream-keys.util';
import { StreamMetrics } from './stream-metrics.service';
import { silentLogger, strictFake } from '../testing-fixtures/strict-fake.util';

class Job {
  @IsInt()
  @Min(0)
  n!: number;
}

const Jobs = defineStream({ stream: 'unit.jobs.v1', type: 'job.created', schemaVersion: 1, payload: Job });
const REPLY_TO = replyKey('0b6f8c1e-8d7a-4c3b-9a2f-1e2d3c4b5a69');

function binding(isRequest = false): StreamBinding {
  return { stream: Jobs.stream, group: 'workers', contract: Jobs, isRequest, keys: laneKeys(Jobs.stream), deadKey: deadLetterKey(Jobs.stream) };
}

function entry(fields: EntryFields | null, deliveries = 1, lane = 1): DeliveredEntry {
  return { lane, id: '1-1', fields, deliveries };
}

function envelopeFields(payload: object, extra: object = {}): EntryFields {
  return { envelope: JSON.stringify({ ...createEnvelope(Jobs, payload as Job), ...extra }) };
}

function setup(invoke: (data: unknown, ctx: RedisStreamsContext) => Promise<unknown>, maxDeliveries = 3) {
  const events: string[] = [];
  const deadLetters: Array<{ key: string; fields: EntryFields }> = [];
  const replies: Array<{ key: string; correlationId: string; body: unknown }> = [];
  let ackFails = false;
  const commands = strictFake<StreamCommands>(
    {
      ack: async (key, group, ids) => {
        if (ackFails) throw new Error('connection lost');
        events.push(`ack ${key} ${group} ${ids.join(',')}`);
        return ids.length;
      },
      deadLetter: async (key, deadKey, group, consumer, id, fields) => {
        events.push(`dead ${id}`);
        deadLetters.push({ key: `${key}>${deadKey} ${group} ${consumer}`, fields });
        return true;
      },
      writeReply: async (key, correlationId, body) => {
        events.push('reply');
        replies.push({ key, correlationId, body: JSON.parse(body) as unknown });
      },
    },
    'commands',
  );
  const limiter = new ConcurrencyLimiter(10);
  const registry = new Registry();
  const acks = new BatchQueue((queueKey, ids) => {
    const [group, key] = queueKey.split('\n');
    return commands.ack(key, group, ids);
  }, 100);
  const dispatcher = new MessageDispatcher(
    { consumer: 'c1', maxDeliveries, replyTtlMs: 1000 },
    {
      commands,
      acks,
      limiter,
      metrics: StreamMetrics.for(registry),
      clock: { now: () => 1_800_000_000_000, sleep: async () => undefined },
      logger: silentLogger,
      invoke: async (_binding, data, ctx) => {
        events.push('invoke');
        return invoke(data, ctx);
      },
    },
  );
  const run = async (b: StreamBinding, e: DeliveredEntry): Promise<void> => {
    await limiter.acquire();
    await dispatcher.start(b, e);
  };
  return { run, events, deadLetters, replies, limiter, registry, dispatcher, failAcks: () => (ackFails = true) };
}

async function metric(registry: Registry, name: string): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.reduce((sum, v) => sum + v.value, 0);
}

describe('MessageDispatcher', () => {
  it('runs the handler with the validated payload and its context, then acknowledges', async () => {
    let seen: { data: unknown; ctx?: RedisStreamsContext } = { data: undefined };
    const t = setup(async (data, ctx) => void (seen = { data, ctx }));
    const fields = envelopeFields({ n: 4 });
    await t.run(binding(), entry(fields, 2, 1));
    expect(seen.data).toBeInstanceOf(Job);
    expect(seen.data).toEqual({ n: 4 });
    const envelopeId = (JSON.parse(fields['envelope']) as { id: string }).id;
    expect(seen.ctx?.getInfo()).toMatchObject({
      stream: Jobs.stream,
      key: '{unit.jobs.v1}:high',
      priority: 'high',
      group: 'workers',
      consumer: 'c1',
      messageId: '1-1',
      deliveryCount: 2,
    });
    expect(seen.ctx?.getIdempotencyKey()).toBe(envelopeId);
    expect(t.events).toEqual(['invoke', 'ack {unit.jobs.v1}:high workers 1-1']);
    expect(await metric(t.registry, 'peerfed_stream_messages_processed_total')).toBe(1);
    expect(t.limiter.inFlight).toBe(0);
  });

  it('acknowledges only after the handler settled, whatever it returned', async () => {
    let finish!: () => void;
    const t = setup(() => new Promise<unknown>((resolve) => (finish = () => resolve(false))));
    const running = t.run(binding(), entry(envelopeFields({ n: 1 })));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(t.events).toEqual(['invoke']);
    expect(t.dispatcher.isHeld('{unit.jobs.v1}:high', '1-1')).toBe(true);
    finish();
    await running;
    expect(t.events).toEqual(['invoke', 'ack {unit.jobs.v1}:high workers 1-1']);
    expect(t.dispatcher.isHeld('{unit.jobs.v1}:high', '1-1')).toBe(false);
  });

  it('leaves a failed message pending until its last delivery, then dead-letters it with the error', async () => {
    const t = setup(() => lastValueFrom(throwError(() => new Error('db down'))));
    await t.run(binding(), entry(envelopeFields({ n: 1 }), 2));
    expect(t.events).toEqual(['invoke']);
    await t.run(binding(), entry(envelopeFields({ n: 1 }), 3));
    expect(t.events).toEqual(['invoke', 'invoke', 'dead 1-1']);
    expect(t.deadLetters[0].key).toBe('{unit.jobs.v1}:high>{unit.jobs.v1}:dead workers c1');
    expect(t.deadLetters[0].fields).toMatchObject({
      error: 'Error: db down',
      reason: 'handler-error',
      group: 'workers',
      priority: 'high',
      sourceId: '1-1',
      deliveries: '3',
      deadAt: new Date(1_800_000_000_000).toISOString(),
    });
    expect(await metric(t.registry, 'peerfed_stream_messages_failed_total')).toBe(2);
    expect(await metric(t.registry, 'peerfed_stream_messages_dead_lettered_total')).toBe(1);
    expect(await metric(t.registry, 'peerfed_stream_messages_processed_total')).toBe(0);
  });

  it('dead-letters a message delivered more often than allowed without running the handler', async () => {
    const t = setup(async () => undefined);
    await t.run(binding(), entry(envelopeFields({ n: 1 }), 4));
    expect(t.events).toEqual(['dead 1-1']);
    expect(t.deadLetters[0].fields['reason']).toBe('max-deliveries');
    expect(t.deadLetters[0].fields['error']).toMatch(/delivered 4 times \(max 3\)/);
  });

  it.each([
    ['not JSON', { envelope: '{' }, 'envelope is not valid JSON'],
    ['no envelope', { other: 'x' }, 'entry has no envelope field'],
    ['a bad payload', envelopeFields({ n: -1 }), 'payload.n: n must not be less than 0'],
    ['another type', envelopeFields({ n: 1 }, { type: 'job.deleted' }), 'envelope.type: expected "job.created"'],
  ])('dead-letters %s at once with the validation error', async (_what, fields, error) => {
    const t = setup(async () => undefined);
    await t.run(binding(), entry(fields));
    expect(t.events).toEqual(['dead 1-1']);
    expect(t.deadLetters[0].fields['reason']).toBe('invalid');
    expect(t.deadLetters[0].fields['error']).toContain(error);
  });

  it('skips replays meant for another group and deleted entries, acknowledging them', async () => {
    const t = setup(async () => undefined);
    await t.run(binding(), entry({ ...envelopeFields({ n: 1 }), replayFor: 'auditors' }));
    await t.run(binding(), entry(null));
    expect(t.events).toEqual(['ack {unit.jobs.v1}:high workers 1-1', 'ack {unit.jobs.v1}:high workers 1-1']);
    await t.run(binding(), entry({ ...envelopeFields({ n: 1 }), replayFor: 'workers' }));
    expect(t.events.slice(2)).toEqual(['invoke', 'ack {unit.jobs.v1}:high workers 1-1']);
  });

  it('answers a request with the handler result, then acknowledges', async () => {
    const t = setup(async (data) => lastValueFrom(of(1, { doubled: (data as Job).n * 2 })));
    await t.run(binding(true), entry(envelopeFields({ n: 21 }, { correlationId: 'r1', replyTo: REPLY_TO })));
    expect(t.events).toEqual(['invoke', 'reply', 'ack {unit.jobs.v1}:high workers 1-1']);
    expect(t.replies).toEqual([{ key: REPLY_TO, correlationId: 'r1', body: { response: { doubled: 42 } } }]);
  });

  it('dead-letters a failed request at once and answers it with the error', async () => {
    const t = setup(async () => Promise.reject(new Error('no such user')));
    await t.run(binding(true), entry(envelopeFields({ n: 1 }, { correlationId: 'r2', replyTo: REPLY_TO })));
    expect(t.events).toEqual(['invoke', 'dead 1-1', 'reply']);
    expect(t.replies[0].body).toEqual({ err: { status: 'error', message: 'Error: no such user' } });
  });

  it('dead-letters a request that names no valid reply stream', async () => {
    const t = setup(async () => undefined);
    await t.run(binding(true), entry(envelopeFields({ n: 1 }, { correlationId: 'r3', replyTo: '{ingress.inbound.v1}:critical' })));
    expect(t.events).toEqual(['dead 1-1']);
    expect(t.deadLetters[0].fields['error']).toMatch(/valid replyTo/);
  });

  it('survives a failed acknowledgement: no throw, slot released, entry left pending', async () => {
    const t = setup(async () => undefined);
    t.failAcks();
    await expect(t.run(binding(), entry(envelopeFields({ n: 1 })))).resolves.toBeUndefined();
    expect(t.limiter.inFlight).toBe(0);
    expect(await metric(t.registry, 'peerfed_stream_messages_processed_total')).toBe(0);
  });

  it('keys acknowledgement batches by group and lane', () => {
    expect(ackQueueKey('workers', '{a.v1}:low').split('\n')).toEqual(['workers', '{a.v1}:low']);
  });
});
