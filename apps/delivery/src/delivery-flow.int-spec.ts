import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { behaviours, type Fediverse, startFediverse } from '@peerfed/platform/fedisim';
import { RedisStreamsClient } from '@peerfed/platform/streams';
import { getFreePort, startTestPostgres, startTestRedis, waitFor, type TestPostgres, type TestRedis } from '@peerfed/platform/testing';
import { ActorKeyStore, createActorKeysTable, KeyEncryption } from '@peerfed/shared/actor-keys';
import { type DeliveryAdminReply, DeliveryAdminV1, IngressFollowersV1 } from '@peerfed/shared/contracts';
import { OutboundPublisher } from '@peerfed/shared/outbound';
import { type Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { bootstrap } from './bootstrap';

const ORIGIN = 'http://localhost:3000';
const ALICE = `${ORIGIN}/users/alice`;
const KEY = 'delivery-flow-tests-key-encryption-key-0123456789';
const WORKSPACE = join(__dirname, '..', '..', '..');

let seq = 0;
function create(): Record<string, unknown> {
  seq++;
  return {
    id: `${ORIGIN}/activities/flow-${seq}`,
    type: 'Create',
    actor: ALICE,
    object: { id: `${ORIGIN}/notes/flow-${seq}`, type: 'Note', attributedTo: ALICE, content: 'hi' },
  };
}

describe('delivery service end to end (bootstrap, streams, simulator)', () => {
  let postgres: TestPostgres;
  let redisServer: TestRedis;
  let redis: Redis;
  let fediverse: Fediverse;
  let databaseUrl: string;

  beforeAll(async () => {
    [postgres, redisServer, fediverse] = await Promise.all([
      startTestPostgres(),
      startTestRedis({ appendfsync: 'always' }),
      startFediverse({ instances: 6, usersPerInstance: 10 }),
    ]);
    databaseUrl = await postgres.createDatabase('delivery_flow');
    redis = redisServer.client();
    // ingress owns actor_keys; here the test plays ingress and creates Alice's key.
    const ds = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
    await ds.query('CREATE SCHEMA "ingress"');
    const runner = ds.createQueryRunner();
    await createActorKeysTable(runner);
    await runner.release();
    const key = await new ActorKeyStore(ds, new KeyEncryption(KEY)).ensureKeyPair(ALICE, `${ALICE}#main-key`);
    await ds.destroy();
    fediverse.trustKey(key.keyId, key.publicKeyPem);
  });

  afterAll(async () => {
    await fediverse?.stop();
    await Promise.all([postgres?.cleanup(), redisServer?.cleanup()]);
  });

  beforeEach(() => {
    fediverse.resetBehaviours();
    fediverse.resetCounters();
  });

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisServer.url,
    KEY_ENCRYPTION_KEY: KEY,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...extra,
  });

  describe('in process', () => {
    let app: NestFastifyApplication;
    let client: RedisStreamsClient;

    beforeAll(async () => {
      app = await bootstrap(env());
      client = new RedisStreamsClient({ url: redisServer.url, contracts: [IngressFollowersV1], requestTimeoutMs: 10_000 });
    });
    afterAll(async () => {
      await client?.close();
      await app?.close();
    });

    it('follows ingress.followers.v1, fans a publication out with shared-inbox dedupe and delivers it signed', async () => {
      const instances = fediverse.instances.slice(0, 3);
      for (const instance of instances) {
        for (const actor of instance.actors) {
          await client.publishMessage(IngressFollowersV1, { change: 'added', localActorId: ALICE, followerId: actor.id, inbox: actor.inbox, sharedInbox: actor.sharedInbox });
        }
      }
      const removed = instances[0]?.actors[0];
      await client.publishMessage(IngressFollowersV1, { change: 'removed', localActorId: ALICE, followerId: String(removed?.id), inbox: String(removed?.inbox) });
      await waitFor(async () => {
        const rows: Array<{ n: string }> = await app.get(DataSource).query('SELECT count(*) AS n FROM "delivery"."followers"');
        return Number(rows[0]?.n) === 29;
      }, { timeoutMs: 10_000 });

      const activity = create();
      const explicit = fediverse.instance(5).actors[3]?.inbox ?? '';
      const published = await new OutboundPublisher(redis).publish({ activity, actorId: ALICE, audience: { followers: true, inboxes: [explicit] } });
      expect(published.priority).toBe('medium');
      const records = await fediverse.waitForDeliveries(4, 15_000, { activityId: String(activity['id']) });
      expect(records.filter((r) => r.sharedInbox)).toHaveLength(3);
      expect(records.filter((r) => !r.sharedInbox).map((r) => r.inbox)).toEqual([new URL(explicit).pathname]);
      expect(fediverse.signatureFailures()).toEqual([]);

      const reply = await client.request<DeliveryAdminReply>(DeliveryAdminV1, { action: 'list', all: true });
      expect(reply).toEqual({ action: 'list', matched: 0, affected: 0, items: [] });
    });

    it('answers replay requests on delivery.admin.v1 for a host whose dead letters it holds', async () => {
      const target = fediverse.instance(4);
      target.setBehaviour(behaviours.fail(403));
      const activity = create();
      await new OutboundPublisher(redis).publish({ activity, actorId: ALICE, audience: { followers: false, inboxes: [target.actors[0]?.inbox ?? ''] } });
      await waitFor(async () => (await client.request<DeliveryAdminReply>(DeliveryAdminV1, { action: 'list', host: target.host })).matched === 1, { timeoutMs: 10_000 });
      target.resetBehaviours();
      expect(await client.request<DeliveryAdminReply>(DeliveryAdminV1, { action: 'replay', host: target.host })).toEqual({ action: 'replay', matched: 1, affected: 1 });
      await fediverse.waitForDeliveries(1, 10_000, { activityId: String(activity['id']), accepted: true });
    });
  });

  describe('crashes', () => {
    // A 5 s request timeout: the host slots the killed worker held lapse 15 s later (2 x timeout + 5 s).
    function spawnService(port: number): ChildProcess {
      return spawn(
        process.execPath,
        ['--no-warnings', '-r', join(WORKSPACE, 'libs/platform/streams/src/testing-fixtures/swc-register.cjs'), join(__dirname, 'main.ts')],
        { cwd: WORKSPACE, env: { ...process.env, ...env({ PORT: String(port), DELIVERY_CONSUMER_NAME: 'delivery-crash-0', DELIVERY_CONCURRENCY: '8', MAX_BATCH_SIZE: '8', DELIVERY_TIMEOUT_MS: '5000' }) }, stdio: 'ignore' },
      );
    }

    /** Ends a wait at once when the child died: a stranger answering on its port must not pass for it. */
    function exited(child: ChildProcess): () => Error | undefined {
      return () => (child.exitCode === null && child.signalCode === null ? undefined : new Error(`the delivery child exited (code ${child.exitCode}, signal ${child.signalCode})`));
    }

    async function waitReady(child: ChildProcess, port: number): Promise<void> {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200, {
        timeoutMs: 90_000,
        intervalMs: 200,
        description: 'delivery child ready',
        abortWhen: exited(child),
      });
    }

    async function allFinal(activityIds: string[], expected: number): Promise<boolean> {
      let done = 0;
      for (const id of activityIds) {
        const rows: Array<{ n: string }> = await queryDelivery(`SELECT count(*) AS n FROM "delivery"."delivery_records" WHERE "activity_id" = $1`, [id]);
        done += Number(rows[0]?.n);
      }
      return done === expected;
    }

    async function queryDelivery<T>(sql: string, params: unknown[]): Promise<T> {
      const ds = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
      try {
        return (await ds.query(sql, params)) as T;
      } finally {
        await ds.destroy();
      }
    }

    it('kill -9 of a worker mid-batch, then a Redis restart, lose no task', async () => {
      const inboxes = fediverse.instances.flatMap((i) => i.actors.map((a) => a.inbox));
      expect(inboxes).toHaveLength(60);
      fediverse.setBehaviour(behaviours.slow(150));
      let port = await getFreePort();
      let child = spawnService(port);
      try {
        await waitReady(child, port);
        const activities = [create(), create()];
        for (const activity of activities) {
          await new OutboundPublisher(redis).publish({ activity, actorId: ALICE, audience: { followers: false, inboxes } });
        }
        const ids = activities.map((a) => String(a['id']));
        await fediverse.waitForDeliveries(20, 30_000);
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
        const [finishedAtKill] = await queryDelivery<Array<{ n: string }>>(
          `SELECT count(*) AS n FROM "delivery"."delivery_records" WHERE "activity_id" = ANY($1)`,
          [ids],
        );
        expect(Number(finishedAtKill?.n)).toBeLessThan(120);

        // Redis restarts while nothing consumes; its AOF (fsync always) keeps lanes, pending lists and retries.
        await redisServer.stop();
        await redisServer.restart();

        fediverse.resetBehaviours();
        // A new port: the old one was free for anything to take while Redis restarted.
        port = await getFreePort();
        const restarted = spawnService(port);
        child = restarted;
        await waitReady(restarted, port);
        await waitFor(() => allFinal(ids, 120), { timeoutMs: 90_000, intervalMs: 250, description: 'all 120 tasks final', abortWhen: exited(restarted) });
        const states: Array<{ state: string; n: string }> = await queryDelivery(
          `SELECT "state", count(*) AS n FROM "delivery"."delivery_records" WHERE "activity_id" = ANY($1) GROUP BY "state"`,
          [ids],
        );
        expect(states.map((s) => [s.state, Number(s.n)])).toEqual([['delivered', 120]]);
        // Every (activity, inbox) reached the remote; only the few in flight at the kill twice.
        for (const id of ids) {
          const accepted = fediverse.deliveries({ activityId: id, accepted: true });
          expect(new Set(accepted.map((r) => `${r.host}${r.inbox}`)).size).toBe(60);
          expect(accepted.length).toBeLessThanOrEqual(60 + 8);
        }
      } finally {
        child.kill('SIGKILL');
      }
      // Two child boots (TypeScript compiled on the fly) on a shared machine.
    }, 300_000);
  });
});
