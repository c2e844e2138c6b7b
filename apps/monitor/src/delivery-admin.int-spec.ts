import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DELIVERY_DELAYED_KEY } from '@peerfed/monitor/feature-admin';
import { RedisStreamsServer, RethrowRpcExceptionFilter } from '@peerfed/platform/streams';
import { startTestPostgres, startTestRedis, type TestPostgres, type TestRedis } from '@peerfed/platform/testing';
import {
  createEnvelope,
  type DeliveryAdminCommandPayload,
  type DeliveryAdminReply,
  DeliveryAdminV1,
  type DeliveryTaskPayload,
  DeliveryTasksV1,
  type Priority,
} from '@peerfed/shared/contracts';
import type Redis from 'ioredis';
import { Registry } from 'prom-client';
import { bootstrap } from './bootstrap';

// The admin API's view of delivery: its delayed-retry set (written here in delivery's format) and
// its dead letters through delivery.admin.v1, answered by a small in-test responder that consumes
// the stream with RedisStreamsServer like delivery does. The real delivery side is proven in apps/delivery.

const TOKEN = 'test-admin-token-0123456789';
const TIMEOUT_MS = 1500;

type DeadLetterItem = NonNullable<DeliveryAdminReply['items']>[number];

function deadLetter(n: number, host: string, activityType: string, reason: string): DeadLetterItem {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    activityId: `https://local.example/activities/${n}`, activityType, inbox: `https://${host}/inbox`, host, reason,
    lastError: 'HTTP 403', lastStatus: 403, attempts: 1, deadAt: new Date(Date.UTC(2026, 10, 22, 12, 0, n)).toISOString(),
  };
}

/** Delivery's dead-letter store, in memory; filters and replies the way delivery's use case does. */
const store = { letters: [] as DeadLetterItem[], replayed: [] as string[], commands: [] as DeliveryAdminCommandPayload[] };

@Controller()
class FakeDeliveryAdminController {
  @MessagePattern<string>(DeliveryAdminV1.stream, { contract: DeliveryAdminV1 })
  handle(@Payload() command: DeliveryAdminCommandPayload): DeliveryAdminReply {
    store.commands.push(command);
    if (command.host === 'explode.example') throw new Error('dead-letter store unavailable');
    const filtered = command.ids !== undefined || command.host !== undefined || command.activityId !== undefined || command.activityType !== undefined || command.reason !== undefined;
    if (!filtered && command.all !== true) throw new Error('a filter or all: true is required');
    const letters = store.letters
      .filter((l) => (command.ids?.includes(l.id) ?? true) && (command.host ?? l.host) === l.host && (command.activityId ?? l.activityId) === l.activityId
        && (command.activityType ?? l.activityType) === l.activityType && (command.reason ?? l.reason) === l.reason)
      .slice(0, command.limit ?? 1000);
    const chosen = new Set(letters.map((l) => l.id));
    switch (command.action) {
      case 'list':
        return { action: 'list', matched: letters.length, affected: 0, items: letters };
      case 'replay':
      case 'purge':
        if (command.action === 'replay') store.replayed.push(...chosen);
        store.letters = store.letters.filter((l) => !chosen.has(l.id));
        return { action: command.action, matched: letters.length, affected: chosen.size };
      case 'status':
        return { action: 'status', matched: 0, affected: 0, deliveries: [] };
    }
  }
}

@Module({ controllers: [FakeDeliveryAdminController] })
class FakeDeliveryModule {}

function delayedMember(priority: Priority, task: Partial<DeliveryTaskPayload> & { activityType: string; attempt: number }, n: number): string {
  const payload: DeliveryTaskPayload = {
    activityId: `https://local.example/activities/${n}`, actorId: 'https://local.example/users/alice', inbox: `https://remote${n % 3}.example/inbox`,
    orderingKey: `https://local.example/objects/${n}`, queuedAt: '2026-11-22T12:00:00.000Z', ...task,
  };
  return `${priority}\n${JSON.stringify(createEnvelope(DeliveryTasksV1, payload))}`;
}

describe('monitor admin API: delivery retries and dead letters', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let responder: INestMicroservice | undefined;
  let base: string;
  let admin: Redis;

  const call = async (path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}/api/v1/admin${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startTestPostgres(), startTestRedis({ appendonly: false })]);
    app = await bootstrap({
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'error', DATABASE_URL: await pg.createDatabase('monitor'), REDIS_URL: redis.url,
      ADMIN_TOKEN: TOKEN, LIFECYCLE_INTERVAL_MS: '0', DELIVERY_ADMIN_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    admin = redis.client();
    responder = await NestFactory.createMicroservice(FakeDeliveryModule, {
      strategy: new RedisStreamsServer({ url: redis.url, group: 'delivery', registry: new Registry(), blockMs: 200 }),
      logger: false,
    });
    responder.useGlobalFilters(new RethrowRpcExceptionFilter());
    await responder.listen();
  });

  afterAll(async () => {
    await responder?.close();
    await app?.close();
    await Promise.all([redis?.cleanup(), pg?.cleanup()]);
  });

  beforeEach(() => {
    store.letters = [
      deadLetter(1, 'a.example', 'Create', 'permanent'),
      deadLetter(2, 'a.example', 'Like', 'permanent'),
      deadLetter(3, 'b.example', 'Create', 'exhausted'),
      deadLetter(4, 'b.example', 'Create', 'permanent'),
      deadLetter(5, 'c.example', 'Follow', 'permanent'),
    ];
    store.replayed = [];
    store.commands = [];
  });

  it('reports scheduled retries by activity type and attempt, with next due per group and overall, paged', async () => {
    const now = Date.now();
    await admin.del(DELIVERY_DELAYED_KEY);
    await admin.zadd(DELIVERY_DELAYED_KEY,
      now + 3_000_000, delayedMember('medium', { activityType: 'Create', attempt: 2 }, 1),
      now + 1_000_000, delayedMember('medium', { activityType: 'Create', attempt: 2 }, 2),
      now + 2_000_000, delayedMember('high', { activityType: 'Create', attempt: 3 }, 3),
      now + 500_000, delayedMember('low', { activityType: 'Like', attempt: 4 }, 4),
      now + 9_000_000, delayedMember('critical', { activityType: 'Undo', undoTargetType: 'Follow', attempt: 2 }, 5),
      now + 100_000, 'medium\nnot json',
    );
    const iso = (offset: number): string => new Date(now + offset).toISOString();
    const all = await call('/retries');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      key: '{delivery.tasks.v1}:delayed', scheduled: 6, scanned: 6, complete: true, unreadable: 1, nextDueAt: iso(100_000), total: 4, nextOffset: null,
      items: [
        { activityType: 'Create', attempt: 2, count: 2, nextDueAt: iso(1_000_000) },
        { activityType: 'Create', attempt: 3, count: 1, nextDueAt: iso(2_000_000) },
        { activityType: 'Like', attempt: 4, count: 1, nextDueAt: iso(500_000) },
        { activityType: 'Undo', attempt: 2, count: 1, nextDueAt: iso(9_000_000) },
      ],
    });
    const second = await call('/retries?limit=2&offset=2');
    expect(second.body).toMatchObject({ total: 4, limit: 2, offset: 2, nextOffset: null });
    expect((second.body['items'] as Array<{ activityType: string }>).map((g) => g.activityType)).toEqual(['Like', 'Undo']);
    const first = await call('/retries?limit=2');
    expect(first.body['nextOffset']).toBe(2);
    const bad = await call('/retries?limit=0');
    expect(bad.status).toBe(400);
    expect(String(bad.body['message'])).toContain('limit');
  });

  it('reads at most 5000 of a large delayed set, the earliest due, and says the report is partial', async () => {
    const now = Date.now();
    await admin.del(DELIVERY_DELAYED_KEY);
    const args: Array<string | number> = [];
    for (let n = 0; n < 5100; n++) args.push(now + 60_000 + n, delayedMember('medium', { activityType: n < 5000 ? 'Create' : 'Announce', attempt: 2 }, n));
    await admin.zadd(DELIVERY_DELAYED_KEY, ...args);
    const report = await call('/retries');
    expect(report.body).toMatchObject({
      scheduled: 5100, scanned: 5000, complete: false, nextDueAt: new Date(now + 60_000).toISOString(),
      items: [{ activityType: 'Create', attempt: 2, count: 5000 }],
    });
    await admin.del(DELIVERY_DELAYED_KEY);
    expect((await call('/retries')).body).toMatchObject({ scheduled: 0, scanned: 0, complete: true, nextDueAt: null, items: [] });
  });

  it('browses delivery\'s dead letters through delivery.admin.v1, filtered and paged', async () => {
    const all = await call('/delivery/dead-letters?limit=2');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ limit: 2, offset: 0, nextOffset: 2 });
    expect((all.body['items'] as DeadLetterItem[]).map((l) => l.id)).toEqual([store.letters[0].id, store.letters[1].id]);
    expect(store.commands[0]).toMatchObject({ action: 'list', all: true, limit: 2 });
    const last = await call('/delivery/dead-letters?limit=2&offset=4');
    expect(last.body).toMatchObject({ offset: 4, nextOffset: null });
    expect((last.body['items'] as DeadLetterItem[]).map((l) => l.id)).toEqual([store.letters[4].id]);

    const filtered = await call('/delivery/dead-letters?host=b.example&activityType=Create&failure=permanent');
    expect(filtered.body['items']).toEqual([store.letters[3]]);
    expect(store.commands.at(-1)).toMatchObject({ action: 'list', host: 'b.example', activityType: 'Create', reason: 'permanent' });
  });

  it('replays and purges delivery\'s dead letters, audited with who and why', async () => {
    const [first, second, third, fourth, fifth] = store.letters;
    const replay = await call('/delivery/dead-letters/replay', { method: 'POST', body: { host: 'a.example', reason: 'their proxy is fixed' } });
    expect(replay).toEqual({ status: 200, body: { matched: 2, affected: 2 } });
    expect(store.replayed.sort()).toEqual([first.id, second.id]);

    const purge = await call('/delivery/dead-letters/purge', { method: 'POST', body: { ids: [third.id, fifth.id], reason: 'spam destinations' } });
    expect(purge.body).toEqual({ matched: 2, affected: 2 });
    expect(store.letters.map((l) => l.id)).toEqual([fourth.id]);

    const everything = await call('/delivery/dead-letters/replay', { method: 'POST', body: { all: true, reason: 'replay the rest' } });
    expect(everything.body).toEqual({ matched: 1, affected: 1 });
    expect(store.letters).toEqual([]);

    const audit = await call(`/audit?target=${DeliveryAdminV1.stream}`);
    const entries = audit.body['items'] as Array<{ actor: string; action: string; reason: string; details: Record<string, unknown> }>;
    expect(entries.map((e) => [e.action, e.reason])).toEqual([
      ['delivery-dead-letters.replay', 'replay the rest'],
      ['delivery-dead-letters.purge', 'spam destinations'],
      ['delivery-dead-letters.replay', 'their proxy is fixed'],
    ]);
    expect(entries[2]).toMatchObject({ actor: expect.stringMatching(/^token:/) as unknown, details: { selection: { host: 'a.example' }, matched: 2, affected: 2 } });
  });

  it('answers 400 naming the parameter, 502 when delivery reports an error', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['/delivery/dead-letters?host=bad/host', undefined, 'host'],
      ['/delivery/dead-letters?activityId=not-a-url', undefined, 'activityId'],
      ['/delivery/dead-letters?activityType=create', undefined, 'activityType'],
      ['/delivery/dead-letters?offset=10000', undefined, 'offset'],
      ['/delivery/dead-letters/replay', { ids: ['1-0'], reason: 'why not' }, 'ids'],
      ['/delivery/dead-letters/replay', { host: 'a.example' }, 'reason'],
      ['/delivery/dead-letters/purge', { reason: 'no selection' }, 'all: true'],
      ['/delivery/dead-letters/purge', { all: true, host: 'a.example', reason: 'both' }, 'all: true cannot be combined'],
      ['/delivery/dead-letters/purge', { all: 'yes', reason: 'typed badly' }, 'all'],
    ];
    for (const [path, body, parameter] of cases) {
      const response = await call(path, body === undefined ? {} : { method: 'POST', body });
      expect([path, response.status]).toEqual([path, 400]);
      expect(String(response.body['message'])).toContain(parameter);
    }
    expect(store.commands).toEqual([]);
    expect(store.letters).toHaveLength(5);

    const refused = await call('/delivery/dead-letters/purge', { method: 'POST', body: { host: 'explode.example', reason: 'try it' } });
    expect(refused.status).toBe(502);
    expect(String(refused.body['message'])).toContain('dead-letter store unavailable');
  });

  it('guards and documents the delivery dead-letter endpoints', async () => {
    for (const [method, path] of [['GET', '/delivery/dead-letters'], ['POST', '/delivery/dead-letters/replay'], ['POST', '/delivery/dead-letters/purge']]) {
      const init = { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? JSON.stringify({ all: true, reason: 'unauthorised' }) : undefined };
      expect([path, (await fetch(`${base}/api/v1/admin${path}`, init)).status]).toEqual([path, 401]);
      const forbidden = await fetch(`${base}/api/v1/admin${path}`, { ...init, headers: { ...init.headers, authorization: 'Bearer not-the-admin-token' } });
      expect([path, forbidden.status]).toEqual([path, 403]);
    }
    expect(store.commands).toEqual([]);
    const document = (await (await fetch(`${base}/api/docs-json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/admin/delivery/dead-letters', '/api/v1/admin/delivery/dead-letters/replay', '/api/v1/admin/delivery/dead-letters/purge']));
    expect(Object.keys(document.paths['/api/v1/admin/delivery/dead-letters/purge']['post'].responses)).toEqual(expect.arrayContaining(['502', '503', '504']));
  });

  it('answers 504 naming delivery.admin.v1 when the delivery service does not answer, and still audits the attempt', async () => {
    await responder?.close();
    responder = undefined;
    const started = Date.now();
    const browse = await call('/delivery/dead-letters');
    expect(browse.status).toBe(504);
    expect(String(browse.body['message'])).toContain(`did not answer ${DeliveryAdminV1.stream} within ${TIMEOUT_MS} ms`);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 3000);

    const purge = await call('/delivery/dead-letters/purge', { method: 'POST', body: { all: true, reason: 'nobody home' } });
    expect(purge.status).toBe(504);
    const audit = await call(`/audit?target=${DeliveryAdminV1.stream}&limit=1`);
    expect(audit.body['items']).toEqual([expect.objectContaining({ action: 'delivery-dead-letters.purge', reason: 'nobody home', details: expect.objectContaining({ error: expect.stringContaining('did not answer') as unknown }) as unknown })]);
  });
});
