import { DeliveryKeys, type FollowerRow } from '@peerfed/delivery/data-access';
import { behaviours, type Fediverse, startFediverse } from '@peerfed/platform/fedisim';
import { laneKey, laneKeys } from '@peerfed/platform/streams';
import { startTestPostgres, startTestRedis, type TestPostgres, type TestRedis, waitFor } from '@peerfed/platform/testing';
import { CIRCUIT_STATE_KEY, type CircuitSnapshot, DeliveryGoneV1, DeliveryOutcomesV1, type OutboundActivityPayload, SIGNATURE_SCHEMES_KEY } from '@peerfed/shared/contracts';
import { activityMessageId } from '@peerfed/shared/outbound';
import { type Redis } from 'ioredis';
import { type DataSource } from 'typeorm';
import { DeliverTaskUseCase } from './deliver-task.usecase';
import { ALICE, ALICE_KEY_ID, createDeliveryDatabase, DeliveryRig, LOCAL_ORIGIN, ManualClock, TEST_SETTINGS } from '../testing-fixtures/delivery-rig.util';

let counter = 0;
function activity(type: string, objectId = `${LOCAL_ORIGIN}/notes/${++counter}`): Record<string, unknown> {
  const object = type === 'Like' || type === 'Delete' ? objectId : { id: objectId, type: 'Note', attributedTo: ALICE, content: 'hello' };
  return { '@context': 'https://www.w3.org/ns/activitystreams', id: `${LOCAL_ORIGIN}/activities/${++counter}`, type, actor: ALICE, object };
}

function publication(body: Record<string, unknown>, audience: OutboundActivityPayload['audience']): OutboundActivityPayload {
  return { activityId: String(body['id']), activity: body, actorId: ALICE, audience };
}

describe('delivery pipeline (real Redis, Postgres and fediverse simulator)', () => {
  let postgres: TestPostgres;
  let redisServer: TestRedis;
  let redis: Redis;
  let dataSource: DataSource;
  let fediverse: Fediverse;
  let rig: DeliveryRig;
  let clock: ManualClock;

  beforeAll(async () => {
    [postgres, redisServer, fediverse] = await Promise.all([startTestPostgres(), startTestRedis({ appendonly: false }), startFediverse({ instances: 10 })]);
    redis = redisServer.client();
    dataSource = await createDeliveryDatabase(postgres.url());
    const rigForKeys = new DeliveryRig(dataSource, redis, new ManualClock());
    const key = await rigForKeys.keys.ensureKeyPair(ALICE, ALICE_KEY_ID);
    await rigForKeys.close();
    // The remote verifies with the public key it would fetch from our actor document.
    fediverse.trustKey(ALICE_KEY_ID, key.publicKeyPem);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await fediverse?.stop();
    await Promise.all([postgres?.cleanup(), redisServer?.cleanup()]);
  });

  function useRig(settings = TEST_SETTINGS): DeliveryRig {
    clock = new ManualClock();
    rig = new DeliveryRig(dataSource, redis, clock, settings);
    return rig;
  }

  beforeEach(async () => {
    await redis.flushall();
    await dataSource.query('TRUNCATE "delivery"."followers", "delivery"."dead_letters", "delivery"."delivery_records", "delivery"."activities", "delivery"."processed_messages"');
    fediverse.resetBehaviours();
    fediverse.resetCounters();
    useRig();
  });

  afterEach(() => rig.close());

  async function addFollowers(perInstance: number, instances = fediverse.instances): Promise<void> {
    const rows: FollowerRow[] = instances.flatMap((instance) =>
      Array.from({ length: perInstance }, (_, i) => ({
        localActorId: ALICE,
        followerId: `${instance.baseUrl}/users/f${i}`,
        inbox: `${instance.baseUrl}/users/f${i}/inbox`,
        sharedInbox: instance.sharedInboxUrl,
      })),
    );
    await rig.followers.addMany(rows);
  }

  async function outcomeCount(): Promise<number> {
    let total = 0;
    for (const key of laneKeys(DeliveryOutcomesV1.stream)) total += await redis.xlen(key);
    return total;
  }

  async function publishTo(body: Record<string, unknown>, audience: OutboundActivityPayload['audience']): Promise<void> {
    await rig.fanOut.execute({ payload: publication(body, audience), messageId: activityMessageId(String(body['id'])), priority: 'medium' });
  }

  it('1000 followers on 10 instances with shared inboxes: 10 signed deliveries the remotes verify', async () => {
    await addFollowers(100);
    const create = activity('Create');
    await publishTo(create, { followers: true, inboxes: [] });
    const results = await rig.runQueued();
    expect(results).toEqual(Array(10).fill('delivered'));
    expect(fediverse.receivedActivity(String(create['id']))).toBe(10);
    expect(fediverse.signatureFailures()).toEqual([]);
    const records = fediverse.deliveries({ activityId: String(create['id']) });
    expect(records.every((r) => r.sharedInbox && r.keyId === ALICE_KEY_ID && r.scheme === 'draft-cavage')).toBe(true);
    expect(new Set(records.map((r) => r.instance)).size).toBe(10);
    // Status per destination (Redis, 24 h) and the Postgres archive agree.
    const statuses = await rig.statuses.ofActivity(String(create['id']));
    expect([...statuses.values()].map((s) => s.state)).toEqual(Array(10).fill('delivered'));
    expect((await rig.records.ofActivity(String(create['id']))).map((r) => r.state)).toEqual(Array(10).fill('delivered'));
    const status = await rig.admin.execute({ action: 'status', activityId: String(create['id']) });
    expect(status.deliveries?.map((d) => [d.state, d.attempts, d.lastStatus])).toEqual(Array(10).fill(['delivered', 1, 202]));
    // After the Redis TTL the archive answers.
    await redis.del(DeliveryKeys.status(String(create['id'])));
    expect((await rig.admin.execute({ action: 'status', activityId: String(create['id']) })).deliveries?.map((d) => d.state)).toEqual(Array(10).fill('delivered'));
  });

  it('a worker that dies before its archive row commits leaves the task to run again; the re-run archives it', async () => {
    const create = activity('Create');
    const activityId = String(create['id']);
    await publishTo(create, { followers: false, inboxes: [fediverse.instance(0).actors[0].inbox] });
    const [queued] = await rig.takeTasks();
    if (!queued) throw new Error('one task expected');
    // This worker's archive commit never returns, as if the process were killed while it waited.
    const dying = new DeliverTaskUseCase({ ...rig.workerDeps, archive: { add: () => new Promise<void>(() => undefined) } });
    void dying.execute(queued);
    // The outcome event is durable by now, so every write that runs beside the archive's has ended.
    await waitFor(async () => (await outcomeCount()) === 1, { timeoutMs: 5_000, description: 'the outcome event' });
    expect(fediverse.count({ activityId, accepted: true })).toBe(1);
    expect((await rig.statuses.get(activityId, queued.task.inbox))?.state).not.toBe('delivered');

    expect(await rig.deliver.execute(queued)).toBe('delivered');
    expect(fediverse.count({ activityId, accepted: true })).toBe(2);
    expect((await rig.records.ofActivity(activityId)).map((r) => r.state)).toEqual(['delivered']);
    expect((await rig.statuses.get(activityId, queued.task.inbox))?.state).toBe('delivered');
  });

  it('10 000 followers on 1 000 instances fan out to 1 000 tasks; our own host and duplicates are skipped', async () => {
    const rows: FollowerRow[] = [];
    for (let host = 0; host < 1000; host++) {
      for (let user = 0; user < 10; user++) {
        rows.push({ localActorId: ALICE, followerId: `https://i${host}.example/users/u${user}`, inbox: `https://i${host}.example/users/u${user}/inbox`, sharedInbox: `https://i${host}.example/inbox` });
      }
    }
    rows.push({ localActorId: ALICE, followerId: `${LOCAL_ORIGIN}/users/bob`, inbox: `${LOCAL_ORIGIN}/users/bob/inbox` });
    await rig.followers.addMany(rows);
    const create = activity('Create');
    const payload = publication(create, { followers: true, inboxes: ['https://i1.example/inbox', 'https://solo.example/users/x/inbox'] });
    const first = await rig.fanOut.execute({ payload, messageId: activityMessageId(String(create['id'])), priority: 'medium' });
    expect(first).toEqual({ duplicate: false, tasks: 1001, skippedLocal: 1, rejected: 0 });
    // A redelivered publication is recognised and writes nothing.
    const again = await rig.fanOut.execute({ payload, messageId: activityMessageId(String(create['id'])), priority: 'medium' });
    expect(again.duplicate).toBe(true);
    const tasks = await rig.takeTasks();
    expect(tasks).toHaveLength(1001);
    expect(new Set(tasks.map((t) => t.task.inbox)).size).toBe(1001);
    expect(tasks.every((t) => t.priority === 'medium' && t.task.attempt === 1)).toBe(true);
  });

  it.each([
    ['Like', 5, 1.5],
    ['Delete', 8, 1.5],
    ['Create', 10, 2.0],
  ])('%s: retried per its policy (%i tries, x%f) on an injected clock, then dead-lettered', async (type, tries, factor) => {
    const target = fediverse.instance(0);
    target.setBehaviour(behaviours.fail500());
    const body = activity(type);
    await publishTo(body, { followers: false, inboxes: [target.actors[0].inbox] });
    expect(await rig.runQueued()).toEqual(['retry-scheduled']);
    const delays: number[] = [];
    for (let attempt = 2; attempt <= tries; attempt++) {
      const before = clock.now();
      const { dueAt, results } = await rig.runNextDelayed();
      delays.push(dueAt - before);
      expect(results).toEqual([attempt < tries ? 'retry-scheduled' : 'dead']);
    }
    // random() = 0.5 with equal jitter: delay n = 0.75 * 30 s * factor^(n-1).
    expect(delays).toEqual(Array.from({ length: tries - 1 }, (_, n) => Math.ceil(0.75 * 30_000 * factor ** n)));
    expect(fediverse.count({ activityId: String(body['id']) })).toBe(tries);
    const [letter] = await rig.deadLetters.find({ activityId: String(body['id']) });
    expect(letter).toMatchObject({ reason: 'max-attempts', lastError: 'http_500', lastStatus: 500 });
    expect(letter?.history.map((h) => h.attempt)).toEqual(Array.from({ length: tries }, (_, n) => n + 1));
    expect(await rig.delayed.count()).toBe(0);
  });

  it('signs RFC 9421 for hosts known to accept it; a host that refuses gets draft-cavage at once, and from then on', async () => {
    const [modern, older, plain] = fediverse.instances;
    if (!modern || !older || !plain) throw new Error('three instances expected');
    older.acceptSchemes(['draft-cavage']);
    try {
      // What ingress records when a host signs its requests with RFC 9421.
      await redis.hset(SIGNATURE_SCHEMES_KEY, modern.host, 'rfc9421', older.host, 'rfc9421');
      await rig.schemes.refresh();
      const inboxes = [modern, older, plain].map((instance) => String(instance.actors[0]?.inbox));
      const first = activity('Create');
      await publishTo(first, { followers: false, inboxes });
      expect(await rig.runQueued()).toEqual(['delivered', 'delivered', 'delivered']);
      const schemeAt = (id: unknown) => Object.fromEntries(fediverse.deliveries({ activityId: String(id) }).map((r) => [r.host, r.scheme]));
      expect(schemeAt(first['id'])).toEqual({ [modern.host]: 'rfc9421', [older.host]: 'draft-cavage', [plain.host]: 'draft-cavage' });
      expect(fediverse.rejections().map((r) => [r.host, r.reason])).toEqual([[older.host, 'rfc9421 signatures are not accepted here']]);
      expect(await redis.hget(SIGNATURE_SCHEMES_KEY, older.host)).toBe('cavage');
      // The second knock belongs to the same attempt.
      const olderStatus = (await rig.statuses.ofActivity(String(first['id']))).get(inboxes[1] ?? '');
      expect([olderStatus?.state, olderStatus?.attempts, olderStatus?.lastStatus]).toEqual(['delivered', 1, 202]);

      const second = activity('Create');
      await publishTo(second, { followers: false, inboxes });
      expect(await rig.runQueued()).toEqual(['delivered', 'delivered', 'delivered']);
      expect(schemeAt(second['id'])).toEqual({ [modern.host]: 'rfc9421', [older.host]: 'draft-cavage', [plain.host]: 'draft-cavage' });
      // The one refusal of the first knock is the only request the remotes turned down.
      expect(fediverse.signatureFailures()).toHaveLength(1);
    } finally {
      older.acceptSchemes(['draft-cavage', 'rfc9421']);
    }
  });

  it('waits at least Retry-After on a 429 and a 503', async () => {
    const [a, b] = fediverse.instances;
    a?.setBehaviour(behaviours.rateLimited(600));
    b?.setBehaviour(behaviours.serviceUnavailable(900));
    const body = activity('Create');
    await publishTo(body, { followers: false, inboxes: [String(a?.actors[0]?.inbox), String(b?.actors[0]?.inbox)] });
    const now = clock.now();
    expect(await rig.runQueued()).toEqual(['retry-scheduled', 'retry-scheduled']);
    const due = (await rig.delayed.list()).map((d) => ({ host: new URL(d.payload.inbox).host, wait: d.dueAt - now }));
    expect(due.find((d) => d.host === a?.host)?.wait).toBeGreaterThanOrEqual(600_000);
    expect(due.find((d) => d.host === b?.host)?.wait).toBeGreaterThanOrEqual(900_000);
  });

  it('dead-letters a permanent 4xx at once; a 410 also drops the follower and is reported to ingress; replay delivers', async () => {
    const target = fediverse.instance(1);
    target.setBehaviour(behaviours.fail(403), { inbox: target.actors[0].inbox });
    const gone = fediverse.instance(2);
    gone.setBehaviour(behaviours.gone());
    await rig.followers.add({ localActorId: ALICE, followerId: gone.actors[0].id, inbox: gone.actors[0].inbox });
    const body = activity('Create');
    await publishTo(body, { followers: true, inboxes: [target.actors[0].inbox] });
    expect((await rig.runQueued()).sort()).toEqual(['dead', 'dead']);
    expect(await rig.delayed.count()).toBe(0);
    expect(await rig.followers.followersOf(ALICE)).toEqual([]);
    const reports = (await redis.xrange(laneKey(DeliveryGoneV1.stream, 'low'), '-', '+')).map(([, fields]) => (JSON.parse(fields[1] ?? '{}') as { payload: unknown }).payload);
    expect(reports).toEqual([{ inbox: gone.actors[0].inbox, activityId: String(body['id']) }]);
    const letters = await rig.deadLetters.find({ all: true });
    expect(letters.map((l) => [l.host, l.reason, l.lastStatus, l.history.length]).sort()).toEqual(
      [
        [target.host, 'permanent', 403, 1],
        [gone.host, 'permanent', 410, 1],
      ].sort(),
    );

    target.resetBehaviours();
    const replay = await rig.admin.execute({ action: 'replay', host: target.host });
    expect(replay).toEqual({ action: 'replay', matched: 1, affected: 1 });
    expect(await rig.runQueued()).toEqual(['delivered']);
    expect(fediverse.count({ activityId: String(body['id']), host: target.host, accepted: true })).toBe(1);
    expect((await rig.admin.execute({ action: 'list', all: true })).items?.map((i) => i.host)).toEqual([gone.host]);
    expect(await rig.admin.execute({ action: 'purge', host: gone.host })).toEqual({ action: 'purge', matched: 1, affected: 1 });
    expect(await rig.deadLetters.count()).toBe(0);
  });

  it('a replay is delivered even when the dead letter\'s final status is stored only after it', async () => {
    const target = fediverse.instance(3);
    target.setBehaviour(behaviours.fail(403));
    const body = activity('Create');
    const inbox = target.actors[0].inbox;
    await publishTo(body, { followers: false, inboxes: [inbox] });
    expect(await rig.runQueued()).toEqual(['dead']);
    const dead = await rig.statuses.get(String(body['id']), inbox);
    target.resetBehaviours();
    expect(await rig.admin.execute({ action: 'replay', host: target.host })).toMatchObject({ affected: 1 });
    // The worker that dead-lettered it writes its final status late, over the replay's "queued".
    await rig.statuses.set(String(body['id']), inbox, { ...(dead as NonNullable<typeof dead>) });
    expect(await rig.runQueued()).toEqual(['delivered']);
    expect(fediverse.count({ activityId: String(body['id']), accepted: true })).toBe(1);
  });

  it('never exceeds the per-host rate limit at the remote; the rest is deferred, not dropped', async () => {
    useRig({ ...TEST_SETTINGS, perHostLimit: { limit: 3, windowMs: 60_000 } });
    const users = await startFediverseUsers(5);
    await publishTo(activity('Create'), { followers: false, inboxes: users.map((u) => u.inbox) });
    const results = await rig.runQueued();
    expect(results.filter((r) => r === 'delivered')).toHaveLength(3);
    expect(results.filter((r) => r === 'deferred')).toHaveLength(2);
    expect(userInstance.stats().accepted).toBe(3);
    const waits = (await rig.delayed.list()).map((d) => d.dueAt - clock.now());
    expect(waits.every((w) => w > 0 && w <= 60_001)).toBe(true);
    // A window later the deferred ones go out.
    await rig.runNextDelayed();
    expect(userInstance.stats().accepted).toBe(5);
  });

  it('never exceeds the global rate limit over all hosts, with leased requests and two replicas; the rest is deferred', async () => {
    const settings = { ...TEST_SETTINGS, globalLimit: { limit: 4, windowMs: 60_000 } };
    useRig(settings);
    const second = new DeliveryRig(dataSource, redis, clock, settings);
    try {
      const inboxes = fediverse.instances.map((instance) => instance.actors[0].inbox);
      await publishTo(activity('Create'), { followers: false, inboxes });
      const tasks = await rig.takeTasks();
      const results = await Promise.all(tasks.map(({ task, priority }, i) => (i % 2 === 0 ? rig : second).deliver.execute({ task, priority })));
      expect(results.filter((r) => r === 'delivered')).toHaveLength(4);
      expect(results.filter((r) => r === 'deferred')).toHaveLength(inboxes.length - 4);
      expect(fediverse.totals().accepted).toBe(4);
    } finally {
      await second.close();
    }
  });

  it('holds at most maxConcurrentPerHost requests in flight to one host', async () => {
    useRig({ ...TEST_SETTINGS, maxConcurrentPerHost: 2 });
    const users = await startFediverseUsers(8);
    userInstance.setBehaviour(behaviours.slow(100));
    await publishTo(activity('Create'), { followers: false, inboxes: users.map((u) => u.inbox) });
    expect(await rig.runQueued()).toEqual(Array(8).fill('delivered'));
    expect(userInstance.stats().maxConcurrent).toBe(2);
  });

  it('holds at most maxConcurrentPerHost requests in flight to one host over two replicas; the rest waits, and a dead replica\'s slots lapse', async () => {
    const settings = { ...TEST_SETTINGS, maxConcurrentPerHost: 2 };
    useRig(settings);
    const second = new DeliveryRig(dataSource, redis, clock, settings);
    try {
      const users = await startFediverseUsers(8);
      userInstance.setBehaviour(behaviours.slow(100));
      await publishTo(activity('Create'), { followers: false, inboxes: users.map((u) => u.inbox) });
      const tasks = await rig.takeTasks();
      // Each replica alone would allow 2 in flight: 4 at the remote, were the slots per replica.
      const first = await Promise.all(tasks.map(({ task, priority }, i) => (i % 2 === 0 ? rig : second).deliver.execute({ task, priority })));
      expect(first.filter((r) => r === 'delivered').length).toBeGreaterThanOrEqual(2);
      expect(first.filter((r) => r === 'deferred').length).toBeGreaterThan(0);
      for (let round = 0; round < 20 && (await rig.delayed.count()) > 0; round++) await rig.runNextDelayed();
      expect(userInstance.stats()).toMatchObject({ accepted: 8, maxConcurrent: 2 });
      expect(await redis.zcard(DeliveryKeys.inFlight(userInstance.host))).toBe(0);

      // A replica that dies mid-request never hands its slots back: they lapse with their lease.
      const host = userInstance.host;
      await redis.zadd(DeliveryKeys.inFlight(host), clock.now() + settings.inFlightLeaseMs, 'dead-1', clock.now() + settings.inFlightLeaseMs, 'dead-2');
      await publishTo(activity('Create'), { followers: false, inboxes: [users[0]?.inbox ?? ''] });
      expect(await rig.runQueued()).toEqual(['deferred']);
      clock.advanceTo(clock.now() + settings.inFlightLeaseMs + 1);
      await rig.poller.pollOnce();
      expect(await rig.runQueued()).toEqual(['delivered']);
    } finally {
      await second.close();
    }
  });

  it('sends nothing to an open circuit; the task waits for half-open', async () => {
    const target = fediverse.instance(4);
    const openUntil = clock.now() + 300_000;
    const snapshot: CircuitSnapshot = { host: target.host, status: 'open', blocked: false, openUntil, updatedAt: clock.now() };
    await redis.hset(CIRCUIT_STATE_KEY, target.host, JSON.stringify(snapshot));
    await rig.circuits.refresh();
    const body = activity('Create');
    await publishTo(body, { followers: false, inboxes: [target.actors[0].inbox] });
    expect(await rig.runQueued()).toEqual(['deferred']);
    expect(fediverse.count({ host: target.host })).toBe(0);
    expect((await rig.delayed.list()).map((d) => d.dueAt)).toEqual([openUntil]);
    const { results } = await rig.runNextDelayed();
    expect(results).toEqual(['delivered']);
    expect(fediverse.count({ activityId: String(body['id']), host: target.host })).toBe(1);
  });

  it('delivers Create, Update and Delete of one object in order, even when the Create needs retries', async () => {
    const target = fediverse.instance(5);
    target.setBehaviour(behaviours.sequence(behaviours.repeat(2, behaviours.fail500())));
    const noteId = `${LOCAL_ORIGIN}/notes/ordered-${++counter}`;
    const inbox = target.actors[0].inbox;
    const published = clock.now();
    // Fanned out in reverse order: publication time, not fan-out order, decides.
    for (const [offset, type] of [[2, 'Delete'], [1, 'Update'], [0, 'Create']] as const) {
      const body = activity(type, noteId);
      await rig.fanOut.execute({ payload: publication(body, { followers: false, inboxes: [inbox] }), messageId: activityMessageId(String(body['id'])), priority: 'medium', publishedAt: published + offset });
    }
    expect((await rig.runQueued()).sort()).toEqual(['deferred', 'deferred', 'retry-scheduled']);
    for (let round = 0; round < 20 && (await rig.delayed.count()) > 0; round++) await rig.runNextDelayed();
    expect(await rig.delayed.count()).toBe(0);
    expect(fediverse.arrivalOrder(noteId)).toEqual(['Create', 'Update', 'Delete']);
    expect(fediverse.deliveries({ host: target.host }).map((r) => `${r.type}:${r.outcome}`)).toEqual(['Create:500', 'Create:500', 'Create:202', 'Update:202', 'Delete:202']);
  });

  // A separate simulated instance with many users, for per-host tests.
  let userFediverse: Fediverse | undefined;
  let userInstance: ReturnType<Fediverse['instance']>;
  async function startFediverseUsers(count: number): Promise<Array<{ inbox: string }>> {
    await userFediverse?.stop();
    userFediverse = await startFediverse({ instances: 1, usersPerInstance: count, sharedInbox: false });
    const key = await rig.keys.publicKeyOf(ALICE);
    userFediverse.trustKey(ALICE_KEY_ID, String(key?.publicKeyPem));
    userInstance = userFediverse.instance(0);
    return userInstance.actors.map((a) => ({ inbox: a.inbox }));
  }
  afterAll(() => userFediverse?.stop());
});
