import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { CircuitCommandsService } from '@peerfed/monitor/feature-health';
import { RedisStreamsClient } from '@peerfed/platform/streams';
import { startTestPostgres, startTestRedis, type TestPostgres, type TestRedis, waitFor } from '@peerfed/platform/testing';
import {
  CIRCUIT_CHANGES_CHANNEL,
  CIRCUIT_STATE_KEY,
  type CircuitSnapshot,
  type DeliveryOutcomePayload,
  DeliveryOutcomesV1,
  ENVELOPE_FIELD,
  type InboundActivityPayload,
  IngressInboundV1,
  createEnvelope,
  laneKey,
  laneKeys,
  parseCircuitSnapshot,
} from '@peerfed/shared/contracts';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { bootstrap } from './bootstrap';

// The circuit breaker end to end: outcomes published on delivery.outcomes.v1, consumed by the real
// consumer of a booted monitor, with a manual clock; snapshots read back from Redis and pub/sub.

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const RECOVERY_MS = 300_000;

class ManualClock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
}

describe('monitor circuits through the outcome consumer', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let producer: RedisStreamsClient;
  let subscriber: Redis;
  let reader: Redis;
  let dataSource: DataSource;
  const clock = new ManualClock(T0);
  const published: Array<{ snapshot: CircuitSnapshot; receivedAt: number }> = [];

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startTestPostgres(), startTestRedis({ appendonly: false })]);
    app = await bootstrap(
      {
        NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'error', DATABASE_URL: await pg.createDatabase('monitor'), REDIS_URL: redis.url,
        CIRCUIT_TIMER_INTERVAL_MS: '50', LIFECYCLE_INTERVAL_MS: '0',
      },
      { clock },
    );
    dataSource = app.get(DataSource);
    producer = new RedisStreamsClient({ url: redis.url, contracts: [DeliveryOutcomesV1] });
    reader = redis.client();
    subscriber = redis.client();
    await subscriber.subscribe(CIRCUIT_CHANGES_CHANNEL);
    subscriber.on('message', (_channel: string, message: string) => {
      const snapshot = parseCircuitSnapshot(message);
      if (snapshot) published.push({ snapshot, receivedAt: Date.now() });
    });
  });

  afterAll(async () => {
    await producer?.close();
    await app?.close();
    await Promise.all([redis?.cleanup(), pg?.cleanup()]);
  });

  let sent = 0;
  /** Entries of delivery.outcomes.v1 the monitor group has read and not yet acknowledged. */
  async function unacknowledged(): Promise<number> {
    let pending = 0;
    for (const key of laneKeys(DeliveryOutcomesV1.stream)) {
      const [count] = (await reader.xpending(key, 'monitor').catch(() => [0])) as [number];
      pending += Number(count);
    }
    return pending;
  }

  /**
   * Publishes one outcome and waits until the consumer has recorded it and acknowledged it; the ack
   * comes after the circuit snapshot is stored, so what a test reads next is settled.
   */
  async function report(host: string, result: Partial<DeliveryOutcomePayload>, id = randomUUID()): Promise<void> {
    const payload: DeliveryOutcomePayload = {
      host, inboxUrl: `https://${host}/inbox`, activityType: 'Create', latencyMs: 40, attempt: 1, outcome: 'delivered', statusCode: 202, ...result,
    };
    await producer.publishMessage(DeliveryOutcomesV1, payload, { id });
    sent++;
    const expected = sent;
    await waitFor(async () => {
      const [{ count }] = await dataSource.query<{ count: string }[]>(`SELECT COUNT(*) AS count FROM monitor.processed_messages`);
      return Number(count) >= expected && (await unacknowledged()) === 0;
    }, { timeoutMs: 5000, description: `outcome ${expected} recorded` });
  }
  const failure = { outcome: 'retryable', statusCode: 503 } as const;
  const success = { outcome: 'delivered', statusCode: 202 } as const;

  async function storedSnapshot(host: string): Promise<CircuitSnapshot | undefined> {
    return parseCircuitSnapshot(await reader.hget(CIRCUIT_STATE_KEY, host));
  }
  async function row(host: string): Promise<{ status: string; consecutive_failures: number; unavailable: boolean }> {
    const [found] = await dataSource.query<{ status: string; consecutive_failures: number; unavailable: boolean }[]>(
      `SELECT status, consecutive_failures, unavailable FROM monitor.instances WHERE host = $1`, [host],
    );
    return found;
  }

  it('walks closed -> open -> half-open -> closed, publishing each change within 1 s', async () => {
    const host = 'walk.example';
    for (let i = 0; i < 4; i++) await report(host, failure);
    expect(await row(host)).toMatchObject({ status: 'closed', consecutive_failures: 4 });
    expect(await storedSnapshot(host)).toBeUndefined();

    const before = Date.now();
    await report(host, failure);
    const opened = await waitFor(() => published.find((p) => p.snapshot.host === host && p.snapshot.status === 'open'), { timeoutMs: 1000 });
    expect(opened.receivedAt - before).toBeLessThan(1000);
    expect(await storedSnapshot(host)).toMatchObject({ host, status: 'open', blocked: false, openUntil: T0 + RECOVERY_MS });
    expect((await row(host)).status).toBe('open');

    clock.at = T0 + RECOVERY_MS; // the recovery timer (every 50 ms) turns it half-open
    await waitFor(async () => (await storedSnapshot(host))?.status === 'half-open', { timeoutMs: 2000, description: 'half-open' });
    // The snapshot is stored first and announced right after: the announcement follows within 1 s.
    await waitFor(() => published.some((p) => p.snapshot.host === host && p.snapshot.status === 'half-open'), { timeoutMs: 1000, description: 'half-open announced' });

    await report(host, success);
    await report(host, { outcome: 'retryable', statusCode: 429 }); // a 429 counts neither way
    await report(host, success);
    expect((await row(host)).status).toBe('half-open');
    await report(host, success);
    expect(await storedSnapshot(host)).toMatchObject({ status: 'closed' });
    expect(await row(host)).toMatchObject({ status: 'closed', consecutive_failures: 0 });

    const history = await dataSource.query<{ from_status: string; to_status: string; reason: string }[]>(
      `SELECT from_status, to_status, reason FROM monitor.circuit_transitions WHERE host = $1 ORDER BY id`, [host],
    );
    expect(history).toEqual([
      { from_status: 'closed', to_status: 'open', reason: 'failure-threshold' },
      { from_status: 'open', to_status: 'half-open', reason: 'recovery-timeout' },
      { from_status: 'half-open', to_status: 'closed', reason: 'success-threshold' },
    ]);
  });

  it('half-open -> open again on a failure, and 429s never open a circuit', async () => {
    clock.at = T0;
    const host = 'flaky.example';
    for (let i = 0; i < 5; i++) await report(host, failure);
    clock.at = T0 + RECOVERY_MS + 1000;
    await report(host, success); // applies the lazy timeout: half-open, one success
    await report(host, failure);
    expect(await storedSnapshot(host)).toMatchObject({ status: 'open', openUntil: clock.at + RECOVERY_MS });

    const limited = 'limited.example';
    for (let i = 0; i < 8; i++) await report(limited, { outcome: 'retryable', statusCode: 429 });
    expect(await row(limited)).toMatchObject({ status: 'closed', consecutive_failures: 0 });
  });

  it('applies a redelivered message once', async () => {
    clock.at = T0;
    const host = 'dupe.example';
    const id = randomUUID();
    await report(host, failure, id);
    await producer.publishMessage(DeliveryOutcomesV1, { host, inboxUrl: `https://${host}/inbox`, activityType: 'Like', latencyMs: 1, attempt: 1, ...failure }, { id });
    await report(host, failure); // processed in order after the duplicate was seen
    expect((await row(host)).consecutive_failures).toBe(2);
  });

  it('dates a delivery record when the outcome happened (its envelope), never after the monitor clock', async () => {
    clock.at = T0;
    const host = 'dated.example';
    const early = randomUUID();
    const ahead = randomUUID();
    await producer.publishMessage(DeliveryOutcomesV1, { host, inboxUrl: `https://${host}/inbox`, activityType: 'Create', latencyMs: 9, attempt: 1, ...success }, { id: early, createdAt: new Date(T0 - 5_000) });
    await producer.publishMessage(DeliveryOutcomesV1, { host, inboxUrl: `https://${host}/inbox`, activityType: 'Create', latencyMs: 9, attempt: 1, ...success }, { id: ahead, createdAt: new Date(T0 + 60_000) });
    sent += 2;
    const dates = await waitFor(async () => {
      const rows = await dataSource.query<{ message_id: string; at: Date }[]>(`SELECT message_id, at FROM monitor.delivery_records WHERE host = $1`, [host]);
      return rows.length === 2 ? new Map(rows.map((r) => [r.message_id, new Date(r.at).getTime()])) : undefined;
    }, { timeoutMs: 5000, description: 'two delivery records' });
    expect(dates.get(early)).toBe(T0 - 5_000);
    expect(dates.get(ahead)).toBe(T0);
  });

  it('a manual reset closes an open circuit, is audited and published', async () => {
    clock.at = T0;
    const host = 'reset.example';
    for (let i = 0; i < 5; i++) await report(host, failure);
    expect((await storedSnapshot(host))?.status).toBe('open');
    await app.get(CircuitCommandsService).run('reset', host, 'admin:test', 'their admin fixed the proxy');
    expect(await storedSnapshot(host)).toMatchObject({ status: 'closed', blocked: false });
    const audit = await dataSource.query<{ actor: string; action: string; reason: string }[]>(
      `SELECT actor, action, reason FROM monitor.admin_audit WHERE target = $1`, [host],
    );
    expect(audit).toEqual([{ actor: 'admin:test', action: 'instance.reset', reason: 'their admin fixed the proxy' }]);
    await expect(dataSource.query(`DELETE FROM monitor.admin_audit`)).rejects.toThrow(/append-only/);
  });

  it('marks a host unavailable after failures on 7 distinct days and clears it on a success', async () => {
    const host = 'gone.example';
    for (let day = 0; day < 7; day++) {
      clock.at = T0 + day * 86_400_000;
      await report(host, { outcome: 'retryable', errorClass: 'timeout', statusCode: undefined });
      expect((await row(host)).unavailable).toBe(day === 6);
    }
    clock.at = T0 + 7 * 86_400_000;
    await report(host, { outcome: 'permanent', statusCode: 410 });
    expect((await row(host)).unavailable).toBe(false);
  });

  /** XADDs an accepted activity the way the ingress inbox does; returns its lane entry id. */
  async function inbound(actorId: string): Promise<string> {
    const payload: InboundActivityPayload = {
      activity: { type: 'Follow', actor: actorId }, actorId, keyId: `${actorId}#main-key`, receivedAt: new Date(clock.at).toISOString(), inbox: 'https://peerfed.example/inbox',
    };
    const id = await reader.xadd(laneKey(IngressInboundV1.stream, 'medium'), '*', ENVELOPE_FIELD, JSON.stringify(createEnvelope(IngressInboundV1, payload)));
    if (id === null) throw new Error('XADD returned no id');
    return id;
  }
  const streamIdAtLeast = (a: string, b: string): boolean => {
    const [am, as] = a.split('-').map(BigInt);
    const [bm, bs] = b.split('-').map(BigInt);
    return am > bm || (am === bm && as >= bs);
  };
  /** Waits until group 'monitor' has handled and acknowledged every entry up to `id`. */
  async function handledByMonitor(id: string): Promise<void> {
    const key = laneKey(IngressInboundV1.stream, 'medium');
    await waitFor(async () => {
      const groups = (await reader.xinfo('GROUPS', key)) as unknown[][];
      const monitor = groups.map((g) => Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [String(g[2 * i]), g[2 * i + 1]])))
        .find((g) => g.name === 'monitor');
      return monitor !== undefined && monitor['pending'] === 0 && streamIdAtLeast(String(monitor['last-delivered-id']), id);
    }, { timeoutMs: 5000, description: `inbound ${id} handled by group monitor` });
  }

  it('an inbound activity from an unavailable host clears the mark; unknown hosts get no row', async () => {
    const host = 'back.example:8443';
    for (let day = 0; day < 7; day++) {
      clock.at = T0 + day * 86_400_000;
      await report(host, { outcome: 'retryable', errorClass: 'timeout', statusCode: undefined });
    }
    expect((await row(host)).unavailable).toBe(true);
    clock.at = T0 + 8 * 86_400_000;

    const stranger = await inbound('https://Stranger.example/users/zoe');
    await handledByMonitor(stranger);
    expect(await row('stranger.example')).toBeUndefined();
    expect((await row(host)).unavailable).toBe(true);

    await handledByMonitor(await inbound('https://BACK.example:8443/users/ann'));
    const [cleared] = await dataSource.query<{ unavailable: boolean; unavailable_since: Date | null; availability: { failureDays: string[] } }[]>(
      `SELECT unavailable, unavailable_since, availability FROM monitor.instances WHERE host = $1`, [host],
    );
    expect(cleared).toMatchObject({ unavailable: false, unavailable_since: null, availability: { failureDays: [] } });

    // A redelivery (or a second request) is harmless, and the count starts again from zero.
    await handledByMonitor(await inbound('https://back.example:8443/users/ann'));
    await report(host, { outcome: 'retryable', errorClass: 'timeout', statusCode: undefined });
    expect((await row(host)).unavailable).toBe(false);
  });
});
