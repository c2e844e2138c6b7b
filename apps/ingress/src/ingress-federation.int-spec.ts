import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DemoSeedService } from '@peerfed/ingress/data-access';
import { startFediverse, signRequest as simSign, type Fediverse, type FakeInstance, type SimActor } from '@peerfed/platform/fedisim';
import { getFreePort, startTestPostgres, startTestRedis, waitFor, type TestPostgres, type TestRedis } from '@peerfed/platform/testing';
import { generateRsaKeyPair, type PemKeyPair } from '@peerfed/shared/activitypub';
import { IngressInboundV1, laneKeys, SIGNATURE_SCHEMES_KEY } from '@peerfed/shared/contracts';
import { outboundLaneKey } from '@peerfed/shared/outbound';
import { type Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { bootstrap } from './bootstrap';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP request with exactly these headers (signed by hand, or deliberately broken). */
function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawResponse> {
  const target = new URL(url);
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        method: options.method ?? 'GET',
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: { ...options.headers, ...(body && { 'content-length': String(body.length) }) },
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/**
 * A remote server the simulator cannot play: an actor whose key we rotate, a key fetch that
 * hangs, and one that answers 10 MB.
 */
class OddRemote {
  readonly gets = new Map<string, number>();
  keys!: PemKeyPair;
  private readonly server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    this.gets.set(path, (this.gets.get(path) ?? 0) + 1);
    if (path === '/users/hang') return; // never answers
    if (path === '/users/huge') {
      res.writeHead(200, { 'content-type': 'application/activity+json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 10; i++) res.write(chunk);
      res.end();
      return;
    }
    if (path !== '/users/rotor') {
      res.writeHead(404).end();
      return;
    }
    const id = this.actor('rotor');
    res.writeHead(200, { 'content-type': 'application/activity+json' });
    res.end(JSON.stringify({ id, type: 'Person', inbox: `${id}/inbox`, publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: this.keys.publicKeyPem } }));
  });
  base = '';

  async start(): Promise<void> {
    this.keys = await generateRsaKeyPair();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  actor(name: string): string {
    return `${this.base}/users/${name}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const INBOUND_LANES = laneKeys(IngressInboundV1.stream);
const TABLES = ['remote_actors', 'followers', 'objects', 'votes', 'inbound_activities', 'processed_messages'];

describe('ingress federation (bootstrap, real Postgres + Redis, fediverse simulator)', () => {
  let pg: TestPostgres;
  let redisServer: TestRedis;
  let redis: Redis;
  let fediverse: Fediverse;
  let remote: FakeInstance;
  let blockedInstance: FakeInstance;
  let odd: OddRemote;
  let alice: SimActor;
  let mallory: SimActor;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let base: string;
  let group: string;
  let seq = 0;

  const nextId = (kind: string): string => `${alice.id}/activities/${kind}-${++seq}`;

  async function inboundQueued(): Promise<number> {
    let total = 0;
    for (const lane of INBOUND_LANES) total += await redis.xlen(lane);
    return total;
  }

  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of TABLES) {
      const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM ingress.${table}`)) as { n: number }[];
      result[table] = row?.n ?? 0;
    }
    return result;
  }

  async function applied(activityId: string): Promise<void> {
    await waitFor(
      async () => ((await dataSource.query('SELECT 1 FROM ingress.processed_messages WHERE message_id = $1', [activityId])) as unknown[]).length > 0,
      { timeoutMs: 15_000, description: `processing of ${activityId}` },
    );
  }

  async function send(activity: Record<string, unknown>, actor: SimActor = alice, inbox = `${base}/inbox`): Promise<number> {
    const response = await remote.signedPost(inbox, activity, actor);
    return response.status;
  }

  async function accepts(): Promise<Record<string, unknown>[]> {
    const rows = await redis.xrange(outboundLaneKey('high'), '-', '+');
    return rows.map(([, fields]) => (JSON.parse(fields[1] ?? '{}') as { payload: Record<string, unknown> }).payload);
  }

  beforeAll(async () => {
    odd = new OddRemote();
    [pg, redisServer, fediverse] = await Promise.all([
      startTestPostgres(),
      startTestRedis({ appendonly: false }),
      startFediverse({ instances: 2, usersPerInstance: 2 }),
      odd.start(),
    ]);
    redis = redisServer.client();
    remote = fediverse.instance(0);
    blockedInstance = fediverse.instance(1);
    [alice, mallory] = remote.actors as [SimActor, SimActor];
    const port = await getFreePort();
    base = `http://127.0.0.1:${port}`;
    app = await bootstrap({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      LOG_LEVEL: 'error',
      DATABASE_URL: await pg.createDatabase('ingress_federation'),
      REDIS_URL: redisServer.url,
      INBOX_MAX_BODY_BYTES: '65536',
      BLOCKED_DOMAINS: blockedInstance.host,
      FETCH_TIMEOUT_MS: '1500',
      RATE_LIMIT_ACTOR_PER_HOUR: '10',
    });
    dataSource = app.get(DataSource);
    await app.get(DemoSeedService).seed();
    group = `${base}/groups/demo`;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fediverse?.stop();
    await odd?.stop();
    redis?.disconnect();
    await Promise.all([redisServer?.cleanup(), pg?.cleanup()]);
  });

  describe('discovery and documents', () => {
    it('answers WebFinger for acct: and actor URLs, with CORS, and JSON errors', async () => {
      const host = new URL(base).host;
      const response = await rawRequest(`${base}/.well-known/webfinger?resource=acct:demo@${host}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('application/jrd+json');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(JSON.parse(response.body)).toMatchObject({
        subject: `acct:demo@${host}`,
        links: expect.arrayContaining([{ rel: 'self', type: 'application/activity+json', href: group }]),
      });
      const byUrl = await rawRequest(`${base}/.well-known/webfinger?resource=${encodeURIComponent(`${base}/users/alice`)}`);
      expect(JSON.parse(byUrl.body)).toMatchObject({ subject: `acct:alice@${host}` });
      const missing = await rawRequest(`${base}/.well-known/webfinger`);
      expect(missing.status).toBe(400);
      expect(JSON.parse(missing.body)).toMatchObject({ statusCode: 400, message: expect.stringContaining('resource') });
      const unknown = await rawRequest(`${base}/.well-known/webfinger?resource=acct:nobody@${host}`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers['access-control-allow-origin']).toBe('*');
    });

    it('serves NodeInfo 2.0/2.1 with real counts and host-meta', async () => {
      const links = JSON.parse((await rawRequest(`${base}/.well-known/nodeinfo`)).body) as { links: { href: string }[] };
      expect(links.links.map((link) => link.href)).toEqual([`${base}/nodeinfo/2.0`, `${base}/nodeinfo/2.1`]);
      const info = JSON.parse((await rawRequest(`${base}/nodeinfo/2.1`)).body) as Record<string, unknown>;
      expect(info).toMatchObject({ version: '2.1', software: { name: 'peerfed', repository: expect.any(String) }, protocols: ['activitypub'], usage: { users: { total: 2 } } });
      const hostMeta = await rawRequest(`${base}/.well-known/host-meta`);
      expect(hostMeta.headers['content-type']).toContain('application/xrd+xml');
      expect(hostMeta.body).toContain(`${base}/.well-known/webfinger?resource={uri}`);
    });

    it('serves the Group Lemmy-style to ActivityPub clients and HTML to browsers', async () => {
      const response = await rawRequest(group, { headers: { accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' } });
      expect(response.headers['content-type']).toContain('application/activity+json');
      expect(JSON.parse(response.body)).toMatchObject({
        id: group,
        type: 'Group',
        preferredUsername: 'demo',
        name: 'Demo challenge',
        inbox: `${group}/inbox`,
        attributedTo: `${group}/moderators`,
        endpoints: { sharedInbox: `${base}/inbox` },
        publicKey: { id: `${group}#main-key`, owner: group, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') },
      });
      const page = await rawRequest(group, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('Demo challenge');
      expect((await rawRequest(`${base}/groups/nobody`)).status).toBe(404);
    });

    it('serves a local object, then a Tombstone with 410 once it is deleted', async () => {
      const uuid = '00000000-0000-4000-8000-000000000001';
      const id = `${base}/objects/${uuid}`;
      const note = { id, type: 'Note', attributedTo: group, content: 'Week 1: 20 km' };
      await dataSource.query(
        `INSERT INTO ingress.objects (object_id, local, type, attributed_to, local_actor_id, name, content, document, published_at)
         SELECT $1, true, 'Note', $2, id, NULL, $3, $4, now() FROM ingress.local_actors WHERE username = 'demo'`,
        [id, group, note.content, JSON.stringify(note)],
      );
      const live = await rawRequest(id, { headers: { accept: 'application/activity+json' } });
      expect([live.status, JSON.parse(live.body)]).toEqual([200, note]);
      await dataSource.query('UPDATE ingress.objects SET deleted_at = now() WHERE object_id = $1', [id]);
      const gone = await rawRequest(id, { headers: { accept: 'application/activity+json' } });
      expect(gone.status).toBe(410);
      expect(JSON.parse(gone.body)).toMatchObject({ id, type: 'Tombstone', formerType: 'Note', deleted: expect.any(String) });
      await dataSource.query('DELETE FROM ingress.objects WHERE object_id = $1', [id]);
    });

    it('limits actor documents per IP and hour: 429 with Retry-After and a JSON error', async () => {
      let response: RawResponse | undefined;
      for (let i = 0; i < 12 && response?.status !== 429; i++) response = await rawRequest(`${base}/actor`);
      expect(response?.status).toBe(429);
      expect(Number(response?.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(response?.body ?? '{}')).toMatchObject({ statusCode: 429, message: expect.stringContaining('10 actor requests per hour') });
      // Collections have their own budget (outbox) or none (followers).
      expect((await rawRequest(`${group}/outbox`)).status).toBe(200);
    });
  });

  describe('inbound activities', () => {
    let follow: Record<string, unknown>;

    it('Follow -> stored follower, follower event and an Accept queued for delivery', async () => {
      // Read (and so cache) the follower count first: the Follow must invalidate it.
      expect(JSON.parse((await rawRequest(`${group}/followers`)).body)).toMatchObject({ type: 'OrderedCollection', totalItems: 0 });
      follow = { '@context': 'https://www.w3.org/ns/activitystreams', id: nextId('follow'), type: 'Follow', actor: alice.id, object: group };
      expect(await send(follow, alice, `${group}/inbox`)).toBe(202);
      await applied(String(follow['id']));
      const rows = (await dataSource.query('SELECT follower_id, inbox, state FROM ingress.followers')) as Record<string, unknown>[];
      expect(rows).toEqual([{ follower_id: alice.id, inbox: alice.inbox, state: 'accepted' }]);
      const [accept] = await accepts();
      expect(accept).toMatchObject({ actorId: group, audience: { followers: false, inboxes: [alice.inbox] }, activity: { type: 'Accept', actor: group, object: { id: follow['id'] } } });
      const events = await redis.xrange('{ingress.followers.v1}:high', '-', '+');
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]?.[1][1] ?? '{}')).toMatchObject({ payload: { change: 'added', localActorId: group, followerId: alice.id } });
      const followers = JSON.parse((await rawRequest(`${group}/followers?page=1`)).body) as Record<string, unknown>;
      expect(followers).toMatchObject({ type: 'OrderedCollectionPage', totalItems: 1, orderedItems: [alice.id] });
    });

    it('a replayed activity is answered 202, not queued again and applied once', async () => {
      const queued = await inboundQueued();
      expect(await send(follow)).toBe(202);
      expect(await inboundQueued()).toBe(queued);
      expect(await accepts()).toHaveLength(1);
    });

    it('Create/Update of a Note to the Group, Like and its Undo, Delete -> database changes', async () => {
      const noteId = `${alice.id}/notes/${++seq}`;
      const note = { id: noteId, type: 'Note', attributedTo: alice.id, content: 'ran 5 km', to: [group], published: new Date().toISOString() };
      const create = { id: nextId('create'), type: 'Create', actor: alice.id, object: note, to: [group] };
      expect(await send(create)).toBe(202);
      await applied(String(create.id));
      const stored = async (): Promise<Record<string, unknown> | undefined> =>
        ((await dataSource.query('SELECT content, deleted_at, local FROM ingress.objects WHERE object_id = $1', [noteId])) as Record<string, unknown>[])[0];
      expect(await stored()).toMatchObject({ content: 'ran 5 km', deleted_at: null, local: false });

      const update = { id: nextId('update'), type: 'Update', actor: alice.id, object: { ...note, content: 'ran 6 km' }, to: [group] };
      expect(await send(update)).toBe(202);
      await applied(update.id);
      expect(await stored()).toMatchObject({ content: 'ran 6 km' });

      const like = { id: nextId('like'), type: 'Like', actor: alice.id, object: noteId };
      expect(await send(like)).toBe(202);
      await applied(like.id);
      const votes = async (): Promise<unknown[]> => dataSource.query('SELECT kind FROM ingress.votes WHERE object_id = $1', [noteId]);
      expect(await votes()).toEqual([{ kind: 'like' }]);
      const undo = { id: nextId('undo'), type: 'Undo', actor: alice.id, object: like };
      expect(await send(undo)).toBe(202);
      await applied(undo.id);
      expect(await votes()).toEqual([]);

      const remove = { id: nextId('delete'), type: 'Delete', actor: alice.id, object: noteId };
      expect(await send(remove)).toBe(202);
      await applied(remove.id);
      expect(await stored()).toMatchObject({ content: null, deleted_at: expect.any(Date) });

      const events = async (stream: string): Promise<Record<string, unknown>[]> =>
        (await redis.xrange(`{${stream}}:medium`, '-', '+')).map(([, fields]) => (JSON.parse(fields[1] ?? '{}') as { payload: Record<string, unknown> }).payload);
      expect((await events('ingress.posts.v1')).filter((post) => post['objectId'] === noteId).map((post) => post['change'])).toEqual(['created', 'updated', 'deleted']);
      expect(await events('ingress.votes.v1')).toEqual([
        { change: 'cast', kind: 'like', actorId: alice.id, objectId: noteId, activityId: like.id },
        { change: 'withdrawn', kind: 'like', actorId: alice.id, objectId: noteId, activityId: like.id },
      ]);
    });

    it('records unknown types and acknowledges them', async () => {
      const flag = { id: nextId('flag'), type: 'Flag', actor: alice.id, object: group };
      expect(await send(flag)).toBe(202);
      await applied(flag.id);
      expect(await dataSource.query('SELECT type FROM ingress.inbound_activities WHERE activity_id = $1', [flag.id])).toEqual([{ type: 'Flag' }]);
    });

    it('Undo(Follow) removes the follower and emits the removal', async () => {
      const undo = { id: nextId('unfollow'), type: 'Undo', actor: alice.id, object: follow };
      expect(await send(undo)).toBe(202);
      await applied(undo.id);
      expect(await dataSource.query('SELECT * FROM ingress.followers')).toEqual([]);
      const events = await redis.xrange('{ingress.followers.v1}:high', '-', '+');
      expect(JSON.parse(events.at(-1)?.[1][1] ?? '{}')).toMatchObject({ payload: { change: 'removed', followerId: alice.id } });
    });

    it('accepts RFC 9421 signatures too, and tells delivery that host takes them (never overriding what delivery learned)', async () => {
      await redis.del(SIGNATURE_SCHEMES_KEY);
      const like = { id: nextId('like'), type: 'Like', actor: alice.id, object: group };
      expect((await remote.signedPost(`${base}/inbox`, like, alice, { scheme: 'rfc9421' })).status).toBe(202);
      await applied(like.id);
      await waitFor(async () => (await redis.hget(SIGNATURE_SCHEMES_KEY, remote.host)) === 'rfc9421', { timeoutMs: 2_000, description: 'host recorded' });
      // Delivery saw that host refuse RFC 9421 later: a further RFC 9421 request does not undo it.
      await redis.hset(SIGNATURE_SCHEMES_KEY, remote.host, 'cavage');
      const again = { id: nextId('like'), type: 'Like', actor: alice.id, object: group };
      expect((await remote.signedPost(`${base}/inbox`, again, alice, { scheme: 'rfc9421' })).status).toBe(202);
      await applied(again.id);
      expect(await redis.hget(SIGNATURE_SCHEMES_KEY, remote.host)).toBe('cavage');
    });

    it('Accept and Reject answer follows our actors sent', async () => {
      const [demo] = (await dataSource.query("SELECT id FROM ingress.local_actors WHERE username = 'demo'")) as { id: string }[];
      const sent = `${group}/follows/${++seq}`;
      await dataSource.query("INSERT INTO ingress.following (follow_activity_id, local_actor_id, remote_actor_id, state) VALUES ($1, $2, $3, 'pending')", [sent, demo?.id, alice.id]);
      const accept = { id: nextId('accept'), type: 'Accept', actor: alice.id, object: { id: sent, type: 'Follow', actor: group, object: alice.id } };
      expect(await send(accept)).toBe(202);
      await applied(accept.id);
      expect(await dataSource.query('SELECT state FROM ingress.following WHERE follow_activity_id = $1', [sent])).toEqual([{ state: 'accepted' }]);
      const reject = { id: nextId('reject'), type: 'Reject', actor: alice.id, object: sent };
      expect(await send(reject)).toBe(202);
      await applied(reject.id);
      expect(await dataSource.query('SELECT state FROM ingress.following WHERE follow_activity_id = $1', [sent])).toEqual([{ state: 'rejected' }]);
    });

    it('Delete of the actor itself purges its follows, votes and posts and marks it gone', async () => {
      const follow = { id: `${mallory.id}/follows/${++seq}`, type: 'Follow', actor: mallory.id, object: group };
      const noteId = `${mallory.id}/notes/${++seq}`;
      const create = { id: `${mallory.id}/creates/${seq}`, type: 'Create', actor: mallory.id, to: [group], object: { id: noteId, type: 'Note', attributedTo: mallory.id, content: 'spam', to: [group] } };
      const like = { id: `${mallory.id}/likes/${seq}`, type: 'Like', actor: mallory.id, object: noteId };
      for (const activity of [follow, create, like]) {
        expect(await send(activity, mallory)).toBe(202);
        await applied(activity.id);
      }
      expect(await dataSource.query('SELECT count(*)::int AS n FROM ingress.followers WHERE follower_id = $1', [mallory.id])).toEqual([{ n: 1 }]);
      const remove = { id: `${mallory.id}#delete`, type: 'Delete', actor: mallory.id, object: mallory.id };
      expect(await send(remove, mallory)).toBe(202);
      await applied(remove.id);
      expect(await dataSource.query('SELECT count(*)::int AS n FROM ingress.followers WHERE follower_id = $1', [mallory.id])).toEqual([{ n: 0 }]);
      expect(await dataSource.query('SELECT count(*)::int AS n FROM ingress.votes WHERE actor_id = $1', [mallory.id])).toEqual([{ n: 0 }]);
      expect(await dataSource.query('SELECT content FROM ingress.objects WHERE object_id = $1 AND deleted_at IS NOT NULL', [noteId])).toEqual([{ content: null }]);
      expect(await dataSource.query('SELECT gone FROM ingress.remote_actors WHERE actor_id = $1', [mallory.id])).toEqual([{ gone: true }]);
      const events = await redis.xrange('{ingress.followers.v1}:high', '-', '+');
      expect(JSON.parse(events.at(-1)?.[1][1] ?? '{}')).toMatchObject({ payload: { change: 'removed', followerId: mallory.id } });
      const payloads = async (stream: string): Promise<Record<string, unknown>[]> =>
        (await redis.xrange(`{${stream}}:medium`, '-', '+')).map(([, fields]) => (JSON.parse(fields[1] ?? '{}') as { payload: Record<string, unknown> }).payload);
      expect((await payloads('ingress.votes.v1')).at(-1)).toEqual({ change: 'withdrawn', kind: 'like', actorId: mallory.id, objectId: noteId, activityId: like.id });
      expect((await payloads('ingress.posts.v1')).at(-1)).toEqual({ change: 'deleted', objectId: noteId, attributedTo: mallory.id });
    });

    it('a Delete of an actor we never stored is answered 202 without a fetch or a queue entry', async () => {
      const stranger = `http://127.0.0.1:9/users/ghost`;
      const body = Buffer.from(JSON.stringify({ id: `${stranger}#delete`, type: 'Delete', actor: stranger, object: stranger }));
      const headers = await simSign(
        { method: 'POST', url: new URL(`${base}/inbox`), body, headers: { 'content-type': 'application/activity+json' } },
        { keyId: `${stranger}#main-key`, privateKeyPem: (await mallory.keyPair()).privateKeyPem },
      );
      const queued = await inboundQueued();
      const response = await rawRequest(`${base}/inbox`, { method: 'POST', headers, body });
      expect(response.status).toBe(202);
      expect(await inboundQueued()).toBe(queued);
    });
  });

  describe('key rotation', () => {
    async function postAs(actorId: string, keys: PemKeyPair, activity: Record<string, unknown>): Promise<RawResponse> {
      const body = Buffer.from(JSON.stringify(activity));
      const headers = await simSign(
        { method: 'POST', url: new URL(`${base}/inbox`), body, headers: { 'content-type': 'application/activity+json' } },
        { keyId: `${actorId}#main-key`, privateKeyPem: keys.privateKeyPem },
      );
      return rawRequest(`${base}/inbox`, { method: 'POST', headers, body });
    }

    it('a signature that fails with the cached key refetches it once; Update(Person) stores the new key', async () => {
      const rotor = odd.actor('rotor');
      const like = { id: `${rotor}/likes/1`, type: 'Like', actor: rotor, object: group };
      expect((await postAs(rotor, odd.keys, like)).status).toBe(202);
      await applied(like.id);
      const storedKey = async (): Promise<unknown> =>
        ((await dataSource.query('SELECT public_key_pem FROM ingress.remote_actors WHERE actor_id = $1', [rotor])) as { public_key_pem: string }[])[0]?.public_key_pem;
      const oldKeys = odd.keys;
      expect(await storedKey()).toBe(oldKeys.publicKeyPem);
      const fetchesBefore = odd.gets.get('/users/rotor') ?? 0;

      odd.keys = await generateRsaKeyPair();
      const update = { id: `${rotor}#update-1`, type: 'Update', actor: rotor, object: { id: rotor, type: 'Person', inbox: `${rotor}/inbox` } };
      expect((await postAs(rotor, odd.keys, update)).status).toBe(202);
      await applied(update.id);
      expect(await storedKey()).toBe(odd.keys.publicKeyPem);
      expect((odd.gets.get('/users/rotor') ?? 0) - fetchesBefore).toBeGreaterThanOrEqual(1);

      // The old key no longer verifies, even after the one refetch.
      const stale = await postAs(rotor, oldKeys, { id: `${rotor}/likes/2`, type: 'Like', actor: rotor, object: group });
      expect(stale.status).toBe(401);
    });
  });

  describe('rejections: status, JSON error, nothing queued, nothing written', () => {
    let before: { queued: number; rows: Record<string, number> };

    beforeEach(async () => {
      before = { queued: await inboundQueued(), rows: await counts() };
    });

    afterEach(async () => {
      expect(await inboundQueued()).toBe(before.queued);
      expect(await counts()).toEqual(before.rows);
    });

    const activity = (): Record<string, unknown> => ({ id: nextId('create'), type: 'Like', actor: alice.id, object: group });

    async function expectError(response: RawResponse | { status: number; body: string }, status: number, message: RegExp): Promise<void> {
      expect(response.status).toBe(status);
      const body = JSON.parse(response.body) as { statusCode: number; error: string; message: string };
      expect(body.statusCode).toBe(status);
      expect(typeof body.error).toBe('string');
      expect(body.message).toMatch(message);
    }

    async function signed(body: Buffer, actor: SimActor, options: { keyId?: string; date?: Date } = {}): Promise<Record<string, string>> {
      return simSign(
        { method: 'POST', url: new URL(`${base}/inbox`), body, headers: { 'content-type': 'application/activity+json' } },
        { keyId: options.keyId ?? actor.keyId, privateKeyPem: (await actor.keyPair()).privateKeyPem },
        { date: options.date },
      );
    }

    it('no signature -> 401', async () => {
      const response = await rawRequest(`${base}/inbox`, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: JSON.stringify(activity()) });
      await expectError(response, 401, /no Signature/);
    });

    it('bad signature (signed with another key) -> 401', async () => {
      const body = Buffer.from(JSON.stringify(activity()));
      const headers = await signed(body, mallory, { keyId: alice.keyId });
      await expectError(await rawRequest(`${base}/inbox`, { method: 'POST', headers, body }), 401, /does not verify/);
    });

    it('wrong key owner (mallory signs an activity of alice) -> 403', async () => {
      await expectError(await remote.signedPost(`${base}/inbox`, activity(), mallory), 403, /belongs to .*not to the activity's actor/);
    });

    it('expired and future Date -> 401', async () => {
      await expectError(await remote.signedPost(`${base}/inbox`, activity(), alice, { date: new Date(Date.now() - 2 * 3600_000) }), 401, /too old/);
      await expectError(await remote.signedPost(`${base}/inbox`, activity(), alice, { date: new Date(Date.now() + 2 * 3600_000) }), 401, /in the future/);
    });

    it('digest mismatch -> 401', async () => {
      const body = Buffer.from(JSON.stringify(activity()));
      const headers = await signed(body, alice);
      const tampered = Buffer.from(body.toString().replace('Like', 'Dislike'));
      await expectError(await rawRequest(`${base}/inbox`, { method: 'POST', headers, body: tampered }), 401, /digest/i);
    });

    it('body over the limit -> 413', async () => {
      const big = { ...activity(), content: 'x'.repeat(70_000) };
      await expectError(await remote.signedPost(`${base}/inbox`, big, alice), 413, /too large/i);
    });

    it('malformed JSON -> 400', async () => {
      const body = Buffer.from('{"id": ');
      await expectError(await rawRequest(`${base}/inbox`, { method: 'POST', headers: await signed(body, alice), body }), 400, /not valid JSON/);
    });

    it('activity without id, type or actor -> 400', async () => {
      const { id: _id, ...noId } = activity();
      await expectError(await remote.signedPost(`${base}/inbox`, noId, alice), 400, /id/);
      const { type: _type, ...noType } = activity();
      await expectError(await remote.signedPost(`${base}/inbox`, noType, alice), 400, /type/);
      const { actor: _actor, ...noActor } = activity();
      await expectError(await remote.signedPost(`${base}/inbox`, noActor, alice), 400, /actor/);
    });

    it('blocked domain -> 403', async () => {
      const blocked = blockedInstance.actors[0] as SimActor;
      const like = { id: `${blocked.id}/likes/1`, type: 'Like', actor: blocked.id, object: group };
      await expectError(await blockedInstance.signedPost(`${base}/inbox`, like, blocked), 403, /blocked/);
    });

    it('unknown actor inbox -> 404; other media types -> 415; every error carries the request id', async () => {
      const unknown = await remote.signedPost(`${base}/groups/nobody/inbox`, activity(), alice);
      await expectError(unknown, 404, /no challenge named nobody/);
      const text = await rawRequest(`${base}/inbox`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-request-id': 'inbox-test-1' }, body: 'hello' });
      await expectError(text, 415, /activity\+json/);
      expect(text.headers['x-request-id']).toBe('inbox-test-1');
    });

    it('a key fetch that hangs -> 401 once the fetch timeout fires', async () => {
      const actor = odd.actor('hang');
      const body = Buffer.from(JSON.stringify({ id: `${actor}/likes/1`, type: 'Like', actor, object: group }));
      const headers = await signed(body, alice, { keyId: `${actor}#main-key` });
      await expectError(await rawRequest(`${base}/inbox`, { method: 'POST', headers, body }), 401, /timed? ?out|timeout/i);
    });

    it('a key fetch answering 10 MB -> 401 without reading it all', async () => {
      const actor = odd.actor('huge');
      const body = Buffer.from(JSON.stringify({ id: `${actor}/likes/1`, type: 'Like', actor, object: group }));
      const headers = await signed(body, alice, { keyId: `${actor}#main-key` });
      await expectError(await rawRequest(`${base}/inbox`, { method: 'POST', headers, body }), 401, /large|exceed|bytes/i);
    });
  });

  describe('with the SSRF guard on (ALLOW_LOOPBACK_PEERS=false)', () => {
    let guarded: NestFastifyApplication;
    let guardedBase: string;

    beforeAll(async () => {
      const port = await getFreePort();
      guardedBase = `http://127.0.0.1:${port}`;
      guarded = await bootstrap({
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: guardedBase,
        LOG_LEVEL: 'error',
        DATABASE_URL: await pg.createDatabase('ingress_guarded'),
        // Its own Redis database: its workers must not consume the other app's streams.
        REDIS_URL: `${redisServer.url}/1`,
        ALLOW_LOOPBACK_PEERS: 'false',
        ALLOW_HTTP_PEERS: 'true',
      });
    }, 60_000);

    afterAll(async () => {
      await guarded?.close();
    });

    it('an actor URL resolving to a forbidden address (loopback) -> 401, nothing fetched, queued or written', async () => {
      const gets = remote.stats().documentGets;
      const like = { id: nextId('like'), type: 'Like', actor: alice.id, object: `${guardedBase}/groups/demo` };
      const response = await remote.signedPost(`${guardedBase}/inbox`, like, alice);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ statusCode: 401, message: expect.stringMatching(/loopback/i) });
      expect(remote.stats().documentGets).toBe(gets);
      const guardedData = guarded.get(DataSource);
      expect(await guardedData.query('SELECT count(*)::int AS n FROM ingress.remote_actors')).toEqual([{ n: 0 }]);
      const redis1 = redisServer.client({ db: 1 });
      try {
        for (const lane of INBOUND_LANES) expect(await redis1.xlen(lane)).toBe(0);
      } finally {
        redis1.disconnect();
      }
    });
  });
});
