import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Fediverse, startFediverse } from './fediverse.service';
import { type KeyPairPem } from './fedisim.types';
import { httpSignature } from './http-signature.util';
import { generateRsaKeyPair } from './lazy-key-pair.util';
import { rfc9421Support } from './message-signatures.util';
import { signRequest } from './request-signer.util';
import { SimHttpClient } from './sim-http.client';
import { handSignedPostHeaders } from './testing-fixtures/hand-signature.util';

// Plays "our service" against the simulator: requests signed as a sender would sign them must be
// accepted and recorded; tampered, mis-keyed, stale or unsigned ones must be answered 401 and
// counted as signature failures.

const OURS = 'https://peerfed.test/users/alice#main-key';

let fediverse: Fediverse;
let client: SimHttpClient;
let ours: KeyPairPem;
let stranger: KeyPairPem;

interface TestActivity {
  readonly id: string;
  readonly type: string;
  readonly actor: string;
  readonly [key: string]: unknown;
}

function note(n: number): TestActivity {
  return {
    '@context': 'https://www.w3.org/ns/activitystreams',
    id: `https://peerfed.test/activities/${n}`,
    type: 'Create',
    actor: 'https://peerfed.test/users/alice',
    object: { id: `https://peerfed.test/notes/${n}`, type: 'Note', content: `note ${n}` },
  };
}

function post(url: string, headers: Record<string, string>, body: string) {
  return client.request({ method: 'POST', url: new URL(url), headers, body: Buffer.from(body), timeoutMs: 5_000 });
}

beforeAll(async () => {
  [fediverse, ours, stranger] = await Promise.all([
    startFediverse({ instances: 2, usersPerInstance: 2 }),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
  ]);
  fediverse.trustKey(OURS, ours.publicKeyPem);
  client = new SimHttpClient();
});

afterAll(async () => {
  client.close();
  await fediverse.stop();
});

beforeEach(() => fediverse.resetCounters());

describe('accepted requests', () => {
  it('accepts a POST signed with http-signature by another simulated actor (key found locally)', async () => {
    const [receiver, sender] = fediverse.instances;
    const activity = { ...note(1), actor: sender.actors[0].id };
    const result = await sender.signedPost(receiver.sharedInboxUrl ?? '', activity, sender.actors[0]);
    expect(result.status).toBe(202);
    expect(fediverse.deliveries()).toEqual([
      expect.objectContaining({
        instance: receiver.name,
        inbox: '/inbox',
        sharedInbox: true,
        activityId: activity.id,
        type: 'Create',
        objectId: 'https://peerfed.test/notes/1',
        keyId: sender.actors[0].keyId,
        actorMatchesKey: true,
        scheme: 'draft-cavage',
        signatureOk: true,
        outcome: 202,
        accepted: true,
      }),
    ]);
    expect(fediverse.keyFetches()).toBe(0);
  });

  it('accepts a Mastodon-style signature built by hand, with a trusted key', async () => {
    const inbox = fediverse.instance(0).actors[1].inbox;
    const body = JSON.stringify(note(2));
    const headers = handSignedPostHeaders({ url: new URL(inbox), body, keyId: OURS, privateKeyPem: ours.privateKeyPem });
    const result = await post(inbox, headers, body);
    expect(result.status).toBe(202);
    expect(fediverse.deliveries({ inbox: '/users/user1/inbox' })).toEqual([
      expect.objectContaining({ sharedInbox: false, keyId: OURS, actorMatchesKey: true, activityId: 'https://peerfed.test/activities/2' }),
    ]);
  });

  it('accepts hs2019 (algorithm taken from the key), as newer senders write it', async () => {
    const inbox = fediverse.instance(0).sharedInboxUrl ?? '';
    const body = JSON.stringify(note(3));
    const headers = handSignedPostHeaders({ url: new URL(inbox), body, keyId: OURS, privateKeyPem: ours.privateKeyPem, algorithm: 'hs2019' });
    const result = await post(inbox, headers, body);
    expect(result.status).toBe(202);
    expect(fediverse.count({ activityId: 'https://peerfed.test/activities/3' })).toBe(1);
  });

  it('verifies RFC 9421 signatures (signature base from @misskey-dev/node-http-message-signatures)', async () => {
    await expect(rfc9421Support()).resolves.toEqual({ available: true });
    const [receiver, sender] = fediverse.instances;
    const activity = { ...note(4), actor: sender.actors[1].id };
    const result = await sender.signedPost(receiver.actors[0].inbox, activity, sender.actors[1], { scheme: 'rfc9421' });
    expect(result.status).toBe(202);
    expect(fediverse.deliveries()).toEqual([expect.objectContaining({ scheme: 'rfc9421', keyId: sender.actors[1].keyId })]);
  });

  it('an instance told to accept only draft-cavage refuses RFC 9421 with 401, as an older server does', async () => {
    const [receiver, sender] = fediverse.instances;
    receiver.acceptSchemes(['draft-cavage']);
    try {
      const refused = await sender.signedPost(receiver.actors[0].inbox, { ...note(41), actor: sender.actors[1].id }, sender.actors[1], { scheme: 'rfc9421' });
      expect(refused.status).toBe(401);
      expect(fediverse.rejections()).toEqual([expect.objectContaining({ kind: 'signature', reason: 'rfc9421 signatures are not accepted here' })]);
      const accepted = await sender.signedPost(receiver.actors[0].inbox, { ...note(42), actor: sender.actors[1].id }, sender.actors[1]);
      expect(accepted.status).toBe(202);
    } finally {
      receiver.acceptSchemes(['draft-cavage', 'rfc9421']);
    }
  });

  it('answers GETs of documents, and a signed GET works as a remote server sends it', async () => {
    const [target, sender] = fediverse.instances;
    const actor = target.actors[0];
    const document = await sender.signedGet(actor.id);
    expect(document.status).toBe(200);
    expect(document.headers['content-type']).toContain('application/activity+json');
    const parsed = JSON.parse(document.body) as Record<string, unknown>;
    expect(parsed).toMatchObject({ id: actor.id, type: 'Person', inbox: actor.inbox, endpoints: { sharedInbox: target.sharedInboxUrl } });
    expect(parsed.publicKey).toEqual({ id: actor.keyId, owner: actor.id, publicKeyPem: (await actor.keyPair()).publicKeyPem });
    expect((await actor.keyPair()).publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const finger = await client.request({
      method: 'GET',
      url: new URL(`${target.baseUrl}/.well-known/webfinger?resource=acct:${actor.acct}`),
      headers: {},
      timeoutMs: 5_000,
    });
    expect(JSON.parse(finger.body)).toMatchObject({ subject: `acct:${actor.acct}`, links: [{ rel: 'self', href: actor.id }] });
    expect(target.stats().documentGets).toBe(2);
  });
});

describe('rejected requests (401, counted as signature failures)', () => {
  const inbox = (): string => fediverse.instance(0).sharedInboxUrl ?? '';

  async function expectRejected(headers: Record<string, string>, body: string, reason: RegExp): Promise<void> {
    const result = await post(inbox(), headers, body);
    expect(result.status).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ reason: expect.stringMatching(reason) });
  }

  it('rejects a tampered body, a wrong key, a stale or future Date, and missing signed parts', async () => {
    const body = JSON.stringify(note(10));
    const signed = (overrides: { date?: Date; privateKeyPem?: string; keyId?: string } = {}) =>
      handSignedPostHeaders({ url: new URL(inbox()), body, keyId: OURS, privateKeyPem: ours.privateKeyPem, ...overrides });

    await expectRejected(signed(), body.replace('note 10', 'note 11'), /^digest: Digest sha-256 does not match/);
    const tampered = body.replace('note 10', 'note 11');
    const withFreshDigest = { ...signed(), digest: handSignedPostHeaders({ url: new URL(inbox()), body: tampered, keyId: OURS, privateKeyPem: stranger.privateKeyPem }).digest };
    await expectRejected(withFreshDigest, tampered, /signature does not verify with the trusted key/);
    await expectRejected(signed({ privateKeyPem: stranger.privateKeyPem }), body, /does not verify/);
    await expectRejected(signed({ date: new Date(Date.now() - 10 * 60_000) }), body, /clock skew/);
    await expectRejected(signed({ date: new Date(Date.now() + 10 * 60_000) }), body, /clock skew/);
    const withoutSignature: Record<string, string> = { ...signed() };
    delete withoutSignature.signature;
    await expectRejected(withoutSignature, body, /no Signature header/);
    const digestNotSigned = { ...signed(), signature: signed().signature.replace('date digest', 'date') };
    await expectRejected(digestNotSigned, body, /digest was not a signed header/);
    await expectRejected(signed({ keyId: 'http://unknown.test/users/x#main-key' }), body, /refusing to contact a non-loopback host/);

    const failures = fediverse.signatureFailures();
    expect(failures).toHaveLength(8);
    expect(failures.filter((failure) => failure.keyId === OURS)).toHaveLength(6);
    expect(fediverse.stats(0)).toMatchObject({ signatureFailures: 8, received: 0 });
    expect(fediverse.count()).toBe(0);
  });

  it('rejects an RFC 9421 request whose body was replaced', async () => {
    const [receiver, sender] = fediverse.instances;
    const url = new URL(receiver.sharedInboxUrl ?? '');
    const body = Buffer.from(JSON.stringify(note(12)));
    const { privateKeyPem } = await sender.actors[0].keyPair();
    const headers = await signRequest({ method: 'POST', url, body }, { keyId: sender.actors[0].keyId, privateKeyPem }, { scheme: 'rfc9421' });
    const result = await client.request({ method: 'POST', url, headers, body: Buffer.from(JSON.stringify(note(13))), timeoutMs: 5_000 });
    expect(result.status).toBe(401);
    expect(fediverse.signatureFailures()).toEqual([expect.objectContaining({ keyId: sender.actors[0].keyId, reason: expect.stringMatching(/^digest/) })]);
  });

  it('answers 413 above the body cap and 400 for a signed body that is not an activity', async () => {
    const big = JSON.stringify({ ...note(14), padding: 'x'.repeat(1024 * 1024) });
    const tooLarge = await post(inbox(), handSignedPostHeaders({ url: new URL(inbox()), body: big, keyId: OURS, privateKeyPem: ours.privateKeyPem }), big);
    expect(tooLarge.status).toBe(413);
    const notActivity = JSON.stringify({ hello: 'world' });
    const malformed = await post(inbox(), handSignedPostHeaders({ url: new URL(inbox()), body: notActivity, keyId: OURS, privateKeyPem: ours.privateKeyPem }), notActivity);
    expect(malformed.status).toBe(400);
    expect(fediverse.rejections().map((r) => r.kind)).toEqual(['too-large', 'malformed']);
    expect(fediverse.stats(0)).toMatchObject({ tooLarge: 1, malformed: 1, signatureFailures: 0 });
  });
});

describe('key fetching from loopback', () => {
  let remote: Server;
  let remoteKey: KeyPairPem;
  let remoteBase: string;
  const fetches: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    remoteKey = await generateRsaKeyPair();
    remote = createServer((req, res) => {
      fetches.push(req.headers);
      const id = `${remoteBase}/users/bob`;
      res.writeHead(200, { 'content-type': 'application/activity+json' });
      res.end(JSON.stringify({ id, type: 'Person', inbox: `${id}/inbox`, publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: remoteKey.publicKeyPem } }));
    });
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    remoteBase = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    remote.closeAllConnections();
    await new Promise((resolve) => remote.close(resolve));
  });

  async function sendAsBob(n: number, privateKeyPem: string) {
    const inbox = fediverse.instance(1).sharedInboxUrl ?? '';
    const body = JSON.stringify({ ...note(n), actor: `${remoteBase}/users/bob` });
    return post(inbox, handSignedPostHeaders({ url: new URL(inbox), body, keyId: `${remoteBase}/users/bob#main-key`, privateKeyPem }), body);
  }

  it('fetches the sender key once with a signed GET, then uses the cache, and refetches after a rotation', async () => {
    const before = fediverse.keyFetches();
    expect((await sendAsBob(20, remoteKey.privateKeyPem)).status).toBe(202);
    expect((await sendAsBob(21, remoteKey.privateKeyPem)).status).toBe(202);
    expect(fediverse.keyFetches() - before).toBe(1);
    expect(fetches).toHaveLength(1);
    expect(fetches[0].accept).toContain('application/activity+json');
    const fetchSignature = httpSignature().parseRequest(
      { headers: fetches[0], method: 'GET', url: '/users/bob', httpVersion: '1.1' },
      { headers: ['(request-target)', 'host', 'date'] },
    );
    expect(fetchSignature.keyId).toBe(fediverse.instance(1).instanceActor.keyId);

    const old = remoteKey;
    remoteKey = await generateRsaKeyPair();
    expect((await sendAsBob(22, remoteKey.privateKeyPem)).status).toBe(202);
    expect(fetches).toHaveLength(2);
    expect((await sendAsBob(23, old.privateKeyPem)).status).toBe(401);
    expect(fediverse.count({ instance: 'sim1' })).toBe(3);
  });

  it('signs with our own signer helper too (RFC 9421 with a fetched key)', async () => {
    const inbox = new URL(fediverse.instance(1).actors[0].inbox);
    const body = Buffer.from(JSON.stringify({ ...note(24), actor: `${remoteBase}/users/bob` }));
    const headers = await signRequest({ method: 'POST', url: inbox, body }, { keyId: `${remoteBase}/users/bob#main-key`, privateKeyPem: remoteKey.privateKeyPem }, { scheme: 'rfc9421' });
    const result = await client.request({ method: 'POST', url: inbox, headers, body, timeoutMs: 5_000 });
    expect(result.status).toBe(202);
    expect(fediverse.deliveries({ activityId: 'https://peerfed.test/activities/24' })).toEqual([expect.objectContaining({ scheme: 'rfc9421' })]);
  });
});
