import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LifecycleService, PLATFORM_STREAMS } from '@peerfed/monitor/feature-admin';
import { RedisStreamsClient } from '@peerfed/platform/streams';
import { startTestPostgres, startTestRedis, type TestPostgres, type TestRedis, waitFor } from '@peerfed/platform/testing';
import {
  CIRCUIT_STATE_KEY,
  createEnvelope,
  deadLetterKey,
  type DeliveryOutcomePayload,
  DeliveryOutcomesV1,
  ENVELOPE_FIELD,
  IngressInboundV1,
  laneKey,
  parseCircuitSnapshot,
} from '@peerfed/shared/contracts';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { bootstrap } from './bootstrap';

// The admin API end to end: bootstrap() against throwaway Postgres and Redis, real HTTP.

const TOKEN = 'test-admin-token-0123456789';
const OUTCOMES = DeliveryOutcomesV1.stream;
const OUTCOME_LANE = laneKey(OUTCOMES, 'medium');
const OUTCOME_DEAD = deadLetterKey(OUTCOMES);

const GETS = [
  '/streams', `/streams/${OUTCOMES}`, '/workers', '/instances', '/retries', `/dead-letters?stream=${OUTCOMES}`,
  '/dead-letters/archived', '/memory', '/tasks', '/audit',
];

describe('monitor admin API (/api/v1/admin)', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let base: string;
  let producer: RedisStreamsClient;
  let reader: Redis;
  let dataSource: DataSource;

  const call = async (path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
    const headers: Record<string, string> = {};
    if (init.token !== null) headers['authorization'] = `Bearer ${init.token ?? TOKEN}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}/api/v1/admin${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  async function report(host: string, result: Partial<DeliveryOutcomePayload>, count = 1): Promise<void> {
    for (let i = 0; i < count; i++) {
      await producer.publishMessage(DeliveryOutcomesV1, { host, inboxUrl: `https://${host}/inbox`, activityType: 'Create', latencyMs: 30, attempt: 1, outcome: 'delivered', statusCode: 202, ...result });
    }
  }
  async function drained(): Promise<void> {
    await waitFor(async () => {
      const groups = (await reader.call('XINFO', 'GROUPS', OUTCOME_LANE)) as unknown[][];
      const monitor = groups.map((g) => Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]]))).find((g) => g['name'] === 'monitor');
      return monitor !== undefined && Number(monitor['pending']) === 0 && Number(monitor['lag']) === 0;
    }, { timeoutMs: 10_000, description: 'outcomes consumed' });
  }

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startTestPostgres(), startTestRedis({ appendonly: false })]);
    app = await bootstrap({
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'error', DATABASE_URL: await pg.createDatabase('monitor'), REDIS_URL: redis.url,
      ADMIN_TOKEN: TOKEN, LIFECYCLE_INTERVAL_MS: '0', DEAD_LETTER_RETENTION: '60', STREAM_MAX_LENGTH: '100', MONITOR_STREAMS: 'test.jobs.v1,test.pressure.v1',
    });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    dataSource = app.get(DataSource);
    producer = new RedisStreamsClient({ url: redis.url, contracts: [DeliveryOutcomesV1] });
    reader = redis.client();
    await report('good.example', { outcome: 'delivered', statusCode: 202 }, 3);
    await report('bad.example', { outcome: 'retryable', statusCode: 503 }, 5);
    await report('slow.example', { outcome: 'retryable', statusCode: 502, attempt: 2 }, 1);
    await report('slow.example', { outcome: 'delivered', statusCode: 200 }, 3);
    await drained();
  });

  afterAll(async () => {
    await producer?.close();
    await app?.close();
    await Promise.all([redis?.cleanup(), pg?.cleanup()]);
  });

  it('answers 401 without a token and 403 with a wrong one, on every endpoint', async () => {
    const posts = ['/instances/good.example/reset', '/dead-letters/replay', '/dead-letters/purge', '/lifecycle/run'];
    for (const path of GETS) {
      expect([path, (await call(path, { token: null })).status]).toEqual([path, 401]);
      expect([path, (await call(path, { token: 'not-the-admin-token' })).status]).toEqual([path, 403]);
    }
    for (const path of posts) {
      expect([path, (await call(path, { method: 'POST', token: null, body: { reason: 'x' } })).status]).toEqual([path, 401]);
      expect([path, (await call(path, { method: 'POST', token: 'not-the-admin-token', body: { reason: 'x' } })).status]).toEqual([path, 403]);
    }
  });

  it('documents the admin API in OpenAPI, with bearer auth', async () => {
    const document = (await (await fetch(`${base}/api/docs-json`)).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    for (const path of ['/api/v1/admin/streams', '/api/v1/admin/instances/{host}/reset', '/api/v1/admin/dead-letters/replay', '/api/v1/admin/memory']) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    expect(document.paths['/api/v1/admin/instances']['get'].security).toEqual([{ bearer: [] }]);
  });

  it('answers every read endpoint for an admin', async () => {
    for (const path of GETS) expect([path, (await call(path)).status]).toEqual([path, 200]);
  });

  it('names the bad parameter in a 400', async () => {
    const cases: Array<[string, string]> = [
      ['/instances?limit=0', 'limit'],
      ['/instances?sort=nope', 'sort'],
      ['/instances?status=sideways', 'status'],
      ['/instances?minFailureRate=2', 'minFailureRate'],
      ['/instances?unavailable=maybe', 'unavailable'],
      ['/streams/Not{A}Stream', 'stream'],
      ['/dead-letters', 'stream'],
      [`/dead-letters?stream=${OUTCOMES}&after=xyz`, 'after'],
      ['/tasks?windowMinutes=-1', 'windowMinutes'],
      ['/workers?offset=-5', 'offset'],
    ];
    for (const [path, parameter] of cases) {
      const { status, body } = await call(path);
      expect([path, status]).toEqual([path, 400]);
      expect(String(body['message'])).toContain(parameter);
    }
    const noReason = await call('/instances/good.example/block', { method: 'POST', body: {} });
    expect(noReason.status).toBe(400);
    expect(String(noReason.body['message'])).toContain('reason');
  });

  it('reports streams with groups, pending, lag, consumers and dead letters', async () => {
    const { body } = await call('/streams?limit=20');
    const items = body['items'] as Array<{ stream: string; length: number; groups: Array<{ group: string; pending: number; lag: number; consumers: number }>; deadLetters: number }>;
    const outcomes = items.find((s) => s.stream === OUTCOMES);
    expect(outcomes).toMatchObject({ length: 12, deadLetters: 0 });
    expect(outcomes?.groups).toEqual([expect.objectContaining({ group: 'monitor', pending: 0, lag: 0, consumers: 1 })]);
    expect(body['total']).toBe(PLATFORM_STREAMS.length + 2); // the platform's streams + two test streams
    expect(items.map((s) => s.stream)).toEqual(expect.arrayContaining([...PLATFORM_STREAMS]));
  });

  it('lists the monitor consumer as a live worker', async () => {
    const { body } = await call('/workers');
    expect(body['items']).toEqual([expect.objectContaining({ group: 'monitor', streams: [OUTCOMES, IngressInboundV1.stream], alive: true, pending: 0 })]);
  });

  it('lists instances with filters, sorting and paging, and shows one host', async () => {
    const open = await call('/instances?status=open');
    expect((open.body['items'] as Array<{ host: string }>).map((i) => i.host)).toEqual(['bad.example']);
    const byRate = await call('/instances?sort=failureRate&order=desc&limit=2');
    expect((byRate.body['items'] as Array<{ host: string }>).map((i) => i.host)).toEqual(['bad.example', 'slow.example']);
    expect(byRate.body).toMatchObject({ total: 3, limit: 2, offset: 0, nextOffset: 2 });
    const byHost = await call('/instances?host=slow');
    expect(byHost.body['items']).toEqual([expect.objectContaining({ host: 'slow.example', failureRate: 0.25, status: 'closed' })]);

    const detail = await call('/instances/bad.example');
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ host: 'bad.example', status: 'open', consecutiveFailures: 5 });
    expect(detail.body['recentOutcomes']).toHaveLength(5);
    expect(detail.body['recentTransitions']).toEqual([expect.objectContaining({ fromStatus: 'closed', toStatus: 'open' })]);
    expect((detail.body['health'] as { windows: Record<string, { failure: number }> }).windows['5m'].failure).toBe(5);
    expect((await call('/instances/never.example')).status).toBe(404);
  });

  it('blocks, unblocks and resets a host: published to delivery and audited', async () => {
    const blocked = await call('/instances/good.example/block', { method: 'POST', body: { reason: 'spam wave' } });
    expect(blocked.status).toBe(200);
    expect(parseCircuitSnapshot(await reader.hget(CIRCUIT_STATE_KEY, 'good.example'))).toMatchObject({ blocked: true });
    expect((await call('/instances?status=blocked')).body['total']).toBe(1);
    await call('/instances/good.example/unblock', { method: 'POST', body: { reason: 'their admin cleaned up' } });
    expect(parseCircuitSnapshot(await reader.hget(CIRCUIT_STATE_KEY, 'good.example'))).toMatchObject({ blocked: false, status: 'closed' });
    await call('/instances/bad.example/reset', { method: 'POST', body: { reason: 'host is back' } });
    expect(parseCircuitSnapshot(await reader.hget(CIRCUIT_STATE_KEY, 'bad.example'))).toMatchObject({ status: 'closed' });

    const audit = await call('/audit?limit=10');
    const entries = audit.body['items'] as Array<{ actor: string; action: string; target: string; reason: string }>;
    expect(entries.slice(0, 3).map((e) => [e.action, e.target, e.reason])).toEqual([
      ['instance.reset', 'bad.example', 'host is back'],
      ['instance.unblock', 'good.example', 'their admin cleaned up'],
      ['instance.block', 'good.example', 'spam wave'],
    ]);
    expect(entries[0].actor).toMatch(/^token:[0-9a-f]{8}$/);
  });

  it('browses, replays (the message is then consumed) and purges dead letters', async () => {
    // An invalid outcome: the monitor's consumer dead-letters it.
    const bad = createEnvelope(DeliveryOutcomesV1, { host: 'x.example' } as DeliveryOutcomePayload);
    await reader.xadd(OUTCOME_LANE, '*', ENVELOPE_FIELD, JSON.stringify(bad));
    await waitFor(async () => (await reader.xlen(OUTCOME_DEAD)) === 1, { timeoutMs: 10_000, description: 'dead letter' });
    const browse = await call(`/dead-letters?stream=${OUTCOMES}&failure=invalid&host=x.example`);
    const [invalid] = browse.body['items'] as Array<{ id: string; group: string; reason: string }>;
    expect(invalid).toMatchObject({ group: 'monitor', reason: 'invalid' });
    expect((await call(`/dead-letters?stream=${OUTCOMES}&failure=handler-error`)).body['items']).toEqual([]);

    // A valid outcome that died (say, during a Postgres outage): replaying it gets it applied.
    const good = createEnvelope(DeliveryOutcomesV1, { host: 'replayed.example', inboxUrl: 'https://replayed.example/inbox', activityType: 'Like', latencyMs: 5, attempt: 1, outcome: 'delivered', statusCode: 202 });
    const deadId = await reader.xadd(OUTCOME_DEAD, '*', ENVELOPE_FIELD, JSON.stringify(good), 'error', 'db down', 'reason', 'handler-error', 'stream', OUTCOMES,
      'group', 'monitor', 'consumer', 'c1', 'priority', 'medium', 'sourceKey', OUTCOME_LANE, 'sourceId', '1-0', 'deliveries', '5', 'deadAt', new Date().toISOString());
    const replay = await call('/dead-letters/replay', { method: 'POST', body: { stream: OUTCOMES, host: 'replayed.example', reason: 'database is back' } });
    expect(replay).toMatchObject({ status: 200, body: { replayed: [deadId] } });
    await waitFor(async () => (await call('/instances/replayed.example')).status === 200, { timeoutMs: 10_000, description: 'replayed outcome applied' });

    const both = await call('/dead-letters/replay', { method: 'POST', body: { stream: OUTCOMES, ids: [invalid.id], host: 'x.example', reason: 'x' } });
    expect(both.status).toBe(400);
    const purge = await call('/dead-letters/purge', { method: 'POST', body: { stream: OUTCOMES, ids: [invalid.id], reason: 'garbage' } });
    expect(purge).toMatchObject({ status: 200, body: { removed: 1 } });
    const archived = await call(`/dead-letters/archived?stream=${OUTCOMES}`);
    expect(archived.body['items']).toEqual([expect.objectContaining({ entryId: invalid.id, reason: 'invalid', groupName: 'monitor' })]);
    expect((await call('/dead-letters/purge', { method: 'POST', body: { stream: OUTCOMES, reason: 'no selector' } })).status).toBe(400);
  });

  it('reports memory, tasks and retries', async () => {
    const memory = await call('/memory');
    expect(memory.body).toMatchObject({ memory: { pressure: false, thresholdPercent: 80 }, policy: { streamMaxLength: 100 } });
    expect((memory.body['keys'] as Array<{ key: string }>).map((k) => k.key)).toContain(OUTCOME_LANE);
    const tasks = await call('/tasks?windowMinutes=60');
    expect(tasks.body['items']).toEqual(expect.arrayContaining([expect.objectContaining({ activityType: 'Create', outcome: 'retryable', count: 6 })]));
    const retries = await call('/retries');
    // Retryable outcomes are in /tasks; /retries reads delivery's delayed set (covered in delivery-admin.int-spec.ts), empty here.
    expect(retries.body).toMatchObject({ items: [], total: 0, scheduled: 0, complete: true, nextDueAt: null });
  });

  it('exports stream, circuit and memory gauges on /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    /** The value of one series, whatever the label order. */
    const value = (name: string, labels: Record<string, string>): number | undefined => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    expect(value('peerfed_monitor_stream_length', { stream: OUTCOMES, priority: 'medium' })).toBeGreaterThan(0);
    expect(value('peerfed_monitor_stream_pending', { stream: OUTCOMES, group: 'monitor', priority: 'medium' })).toBe(0);
    expect(value('peerfed_monitor_circuits', { status: 'closed' })).toBe(4);
    expect(value('peerfed_monitor_dead_letters', { stream: OUTCOMES })).toBe(0);
    expect(value('peerfed_monitor_redis_used_memory_bytes', {})).toBeGreaterThan(0);
  });

  it('lifecycle: trims a long stream under load without deleting a pending entry, and archives old dead letters', async () => {
    const stream = 'test.jobs.v1';
    const lane = laneKey(stream, 'medium');
    await reader.xgroup('CREATE', lane, 'workers', '$', 'MKSTREAM');
    for (let i = 0; i < 600; i++) await reader.xadd(lane, '*', ENVELOPE_FIELD, `{"n":${i}}`);
    // 400 delivered; the first 250 of them acknowledged, 150 left pending.
    const read = (await reader.xreadgroup('GROUP', 'workers', 'w1', 'COUNT', 400, 'STREAMS', lane, '>')) as Array<[string, Array<[string, string[]]>]>;
    const delivered = read[0][1].map(([id]) => id);
    await reader.xack(lane, 'workers', ...delivered.slice(0, 250));
    const pending = delivered.slice(250);
    // An old dead letter (older than DEAD_LETTER_RETENTION = 60 s) and a fresh one.
    const oldId = `${Date.now() - 120_000}-0`;
    await reader.xadd(deadLetterKey(stream), oldId, ENVELOPE_FIELD, '{}', 'group', 'workers', 'reason', 'max-deliveries', 'error', 'e', 'priority', 'medium', 'stream', stream, 'deliveries', '5', 'deadAt', new Date(Date.now() - 120_000).toISOString());
    await reader.xadd(deadLetterKey(stream), '*', ENVELOPE_FIELD, '{}', 'group', 'workers', 'reason', 'max-deliveries', 'error', 'e', 'priority', 'medium', 'stream', stream, 'deliveries', '5', 'deadAt', new Date().toISOString());

    // Producers keep writing while the job runs.
    let writing = true;
    const load = (async () => {
      let n = 0;
      while (writing && n < 2000) await reader.xadd(lane, '*', ENVELOPE_FIELD, `{"load":${n++}}`);
    })();
    const run = await call('/lifecycle/run', { method: 'POST', body: { reason: 'test run' } });
    writing = false;
    await load;

    expect(run.status).toBe(200);
    const trims = run.body['trims'] as Array<{ key: string; trimmed: number; hard: boolean }>;
    expect(trims.find((t) => t.key === lane)).toEqual({ key: lane, trimmed: 250, hard: true });
    for (const id of pending) expect((await reader.xrange(lane, id, id)).length).toBe(1);
    expect(run.body['deadLettersArchived']).toBe(1);
    expect(await reader.xlen(deadLetterKey(stream))).toBe(1);
    const rows = await dataSource.query<{ entry_id: string }[]>(`SELECT entry_id FROM monitor.archived_dead_letters WHERE stream = $1`, [stream]);
    expect(rows).toEqual([{ entry_id: oldId }]);
    expect((await call('/memory')).body['lastRun']).toMatchObject({ trimmedTotal: run.body['trimmedTotal'] });
  });

  it('trims harder and reports it under memory pressure', async () => {
    const lane = laneKey('test.pressure.v1', 'medium');
    await reader.xgroup('CREATE', lane, 'workers', '$', 'MKSTREAM');
    for (let i = 0; i < 20; i++) await reader.xadd(lane, '*', ENVELOPE_FIELD, '{}');
    const read = (await reader.xreadgroup('GROUP', 'workers', 'w1', 'COUNT', 20, 'STREAMS', lane, '>')) as Array<[string, Array<[string, string[]]>]>;
    const ids = read[0][1].map(([id]) => id);
    // Young acknowledged entries: the TASK_TTL age bound keeps them normally; pressure trims them.
    await reader.xack(lane, 'workers', ...ids.slice(0, 15));
    const used = Number(/used_memory:(\d+)/.exec(await reader.info('memory'))?.[1]);
    await reader.config('SET', 'maxmemory', String(Math.ceil(used * 1.1)));
    try {
      const run = await call('/lifecycle/run', { method: 'POST', body: { reason: 'pressure test' } });
      expect(run.body).toMatchObject({ memoryPressure: true });
      expect((run.body['trims'] as Array<{ key: string }>).find((t) => t.key === lane)).toEqual({ key: lane, trimmed: 15, hard: true });
      expect((await reader.xrange(lane, '-', '+')).map(([id]) => id)).toEqual(ids.slice(15));
    } finally {
      await reader.config('SET', 'maxmemory', '0');
    }
  });

  it('lets one lifecycle runner at a time hold the lock', async () => {
    const lifecycle = app.get(LifecycleService);
    await reader.set('{monitor}:lifecycle:lock', 'someone-else', 'PX', 10_000);
    expect(await lifecycle.run()).toBeNull();
    await reader.del('{monitor}:lifecycle:lock');
    expect(await lifecycle.run()).not.toBeNull();
  });
});
