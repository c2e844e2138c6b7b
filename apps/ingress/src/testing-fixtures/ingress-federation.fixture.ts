import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type EnvSource } from '@peerfed/platform/config';
import { DemoSeedService } from '@peerfed/ingress/data-access';
import { startFediverse, signRequest, type Fediverse, type FakeInstance, type SigningKey, type SimActor } from '@peerfed/platform/fedisim';
// The harness is for test code only; this folder is test code (kept out of the app build by tsconfig.app.json).
import { getFreePort, startTestPostgres, startTestRedis, waitFor, type TestPostgres, type TestRedis } from '@peerfed/platform/testing';
import { IngressInboundV1, laneKeys } from '@peerfed/shared/contracts';
import { outboundLaneKey } from '@peerfed/shared/outbound';
import { type Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { bootstrap } from '../bootstrap';
import { OddRemote } from './odd-remote.server';

/** The outer describe of every ingress federation suite, so test names read as one suite. */
export const INGRESS_FEDERATION_SUITE = 'ingress federation (bootstrap, real Postgres + Redis, fediverse simulator)';
export const INBOUND_LANES = laneKeys(IngressInboundV1.stream);
const TABLES = ['remote_actors', 'followers', 'objects', 'votes', 'inbound_activities', 'processed_messages'];

export interface BootedIngress {
  readonly app: NestFastifyApplication;
  readonly base: string;
}

/**
 * Ingress booted through `bootstrap()` on real Postgres and Redis, with remote actors served on
 * 127.0.0.1 by the fediverse simulator (alice and mallory on one instance, a second, blocked
 * instance) and by an {@link OddRemote}; plus the probes the suites assert with.
 */
export class IngressFederationFixture {
  readonly odd = new OddRemote();
  pg!: TestPostgres;
  redisServer!: TestRedis;
  redis!: Redis;
  fediverse!: Fediverse;
  remote!: FakeInstance;
  blockedInstance!: FakeInstance;
  alice!: SimActor;
  mallory!: SimActor;
  app!: NestFastifyApplication;
  dataSource!: DataSource;
  base!: string;
  group!: string;
  private seq = 0;

  async start(): Promise<void> {
    [this.pg, this.redisServer, this.fediverse] = await Promise.all([
      startTestPostgres(),
      startTestRedis({ appendonly: false }),
      startFediverse({ instances: 2, usersPerInstance: 2 }),
      this.odd.start(),
    ]);
    this.redis = this.redisServer.client();
    this.remote = this.fediverse.instance(0);
    this.blockedInstance = this.fediverse.instance(1);
    [this.alice, this.mallory] = this.remote.actors as [SimActor, SimActor];
    ({ app: this.app, base: this.base } = await this.bootIngress('ingress_federation', {
      REDIS_URL: this.redisServer.url,
      INBOX_MAX_BODY_BYTES: '65536',
      BLOCKED_DOMAINS: this.blockedInstance.host,
      FETCH_TIMEOUT_MS: '1500',
      RATE_LIMIT_ACTOR_PER_HOUR: '10',
    }));
    this.dataSource = this.app.get(DataSource);
    await this.app.get(DemoSeedService).seed();
    this.group = `${this.base}/groups/demo`;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.fediverse?.stop();
    await this.odd.stop();
    this.redis?.disconnect();
    await Promise.all([this.redisServer?.cleanup(), this.pg?.cleanup()]);
  }

  /** Boots one more ingress on a free port with its own database of the shared Postgres. */
  async bootIngress(database: string, env: EnvSource): Promise<BootedIngress> {
    const port = await getFreePort();
    const base = `http://127.0.0.1:${port}`;
    const app = await bootstrap({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      LOG_LEVEL: 'error',
      DATABASE_URL: await this.pg.createDatabase(database),
      ...env,
    });
    return { app, base };
  }

  /** A number no other id of this suite uses (activity ids are deduplicated). */
  nextSeq(): number {
    return ++this.seq;
  }

  nextId(kind: string): string {
    return `${this.alice.id}/activities/${kind}-${this.nextSeq()}`;
  }

  async inboundQueued(): Promise<number> {
    let total = 0;
    for (const lane of INBOUND_LANES) total += await this.redis.xlen(lane);
    return total;
  }

  async counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of TABLES) {
      const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM ingress.${table}`)) as { n: number }[];
      result[table] = row?.n ?? 0;
    }
    return result;
  }

  /** Resolves once the inbound worker has applied the activity. */
  async applied(activityId: string): Promise<void> {
    await waitFor(
      async () => ((await this.dataSource.query('SELECT 1 FROM ingress.processed_messages WHERE message_id = $1', [activityId])) as unknown[]).length > 0,
      { timeoutMs: 15_000, description: `processing of ${activityId}` },
    );
  }

  async send(activity: Record<string, unknown>, actor: SimActor = this.alice, inbox = `${this.base}/inbox`): Promise<number> {
    const response = await this.remote.signedPost(inbox, activity, actor);
    return response.status;
  }

  /** Signature headers for a POST of `body` to the shared inbox, signed with any key id. */
  signedInboxHeaders(body: Buffer, key: SigningKey, date?: Date): Promise<Record<string, string>> {
    return signRequest({ method: 'POST', url: new URL(`${this.base}/inbox`), body, headers: { 'content-type': 'application/activity+json' } }, key, { date });
  }

  /** The payloads of the envelopes in one stream lane, oldest first. */
  async payloads(laneKey: string): Promise<Record<string, unknown>[]> {
    const rows = await this.redis.xrange(laneKey, '-', '+');
    return rows.map(([, fields]) => (JSON.parse(fields[1] ?? '{}') as { payload: Record<string, unknown> }).payload);
  }

  /** Deliveries queued on the high outbound lane (the Accepts of follows). */
  accepts(): Promise<Record<string, unknown>[]> {
    return this.payloads(outboundLaneKey('high'));
  }
}

/** Registers beforeAll/afterAll in the calling describe block and returns the fixture they drive. */
export function useIngressFederation(): IngressFederationFixture {
  const fixture = new IngressFederationFixture();
  beforeAll(() => fixture.start(), 60_000);
  afterAll(() => fixture.stop());
  return fixture;
}
