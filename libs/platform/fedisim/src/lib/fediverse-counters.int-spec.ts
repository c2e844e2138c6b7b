import { behaviours } from './behaviour.util';
import { type Fediverse, startFediverse } from './fediverse.service';
import { type HttpResult, type KeyPairPem } from './fedisim.types';
import { generateRsaKeyPair } from './lazy-key-pair.util';
import { signRequest } from './request-signer.util';
import { SimHttpClient } from './sim-http.client';

// Counters and queries that delivery tests rely on: per-host concurrency, shared-inbox counting,
// arrival order, waiting for deliveries, resetting; plus start-up and shutdown at scale.

const KEY_ID = 'https://peerfed.test/users/alice#main-key';

let key: KeyPairPem;
let client: SimHttpClient;

async function deliver(url: string, activity: Record<string, unknown>): Promise<HttpResult> {
  const target = new URL(url);
  const body = Buffer.from(JSON.stringify({ actor: 'https://peerfed.test/users/alice', ...activity }));
  const headers = await signRequest({ method: 'POST', url: target, body }, { keyId: KEY_ID, privateKeyPem: key.privateKeyPem });
  return client.request({ method: 'POST', url: target, headers, body, timeoutMs: 5_000 });
}

const get = (url: string): Promise<HttpResult> => client.request({ method: 'GET', url: new URL(url), headers: {}, timeoutMs: 5_000 });

beforeAll(async () => {
  key = await generateRsaKeyPair();
  client = new SimHttpClient();
});

afterAll(() => client.close());

describe('counters and queries', () => {
  let fediverse: Fediverse;

  beforeAll(async () => {
    fediverse = await startFediverse({ instances: 2, usersPerInstance: 2 });
    fediverse.trustKey(KEY_ID, key.publicKeyPem);
  });

  afterAll(() => fediverse.stop());

  beforeEach(() => {
    fediverse.resetBehaviours();
    fediverse.resetCounters();
  });

  it('observes the peak number of concurrent requests per instance', async () => {
    const [busy, calm] = fediverse.instances;
    busy.setBehaviour(behaviours.slow(600));
    const parallel = Array.from({ length: 5 }, (_, n) => deliver(busy.sharedInboxUrl ?? '', { id: `https://peerfed.test/p/${n}`, type: 'Like', object: 'https://x/1' }));
    for (let n = 0; n < 3; n += 1) await deliver(calm.sharedInboxUrl ?? '', { id: `https://peerfed.test/s/${n}`, type: 'Like', object: 'https://x/2' });
    expect((await Promise.all(parallel)).map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(busy.stats()).toMatchObject({ maxConcurrent: 5, inFlight: 0, received: 5 });
    expect(calm.stats()).toMatchObject({ maxConcurrent: 1, received: 3 });
  });

  it('counts shared-inbox and personal-inbox deliveries separately, and per activity id', async () => {
    const [a, b] = fediverse.instances;
    const activity = { id: 'https://peerfed.test/activities/fanout', type: 'Announce', object: 'https://peerfed.test/notes/9' };
    await deliver(a.sharedInboxUrl ?? '', activity);
    await deliver(b.actors[0].inbox, activity);
    await deliver(b.actors[1].inbox, activity);
    expect(fediverse.receivedActivity(activity.id)).toBe(3);
    expect(fediverse.count({ sharedInbox: true })).toBe(1);
    expect(fediverse.count({ instance: b.name, sharedInbox: false })).toBe(2);
    expect(a.stats().byInbox).toEqual({ '/inbox': 1 });
    expect(b.stats().byInbox).toEqual({ '/users/user0/inbox': 1, '/users/user1/inbox': 1 });
    expect(fediverse.totals()).toMatchObject({ received: 3, accepted: 3, signatureFailures: 0 });
  });

  it('reports the arrival order of activities about one object', async () => {
    const inbox = fediverse.instance(0).sharedInboxUrl ?? '';
    fediverse.instance(0).setBehaviour(behaviours.sequence([behaviours.ok(), behaviours.fail500()]));
    const object = 'https://peerfed.test/notes/ordered';
    await deliver(inbox, { id: 'https://peerfed.test/a/create', type: 'Create', object: { id: object, type: 'Note' } });
    await deliver(inbox, { id: 'https://peerfed.test/a/update', type: 'Update', object: { id: object, type: 'Note' } });
    await deliver(inbox, { id: 'https://peerfed.test/a/update', type: 'Update', object: { id: object, type: 'Note' } });
    await deliver(inbox, { id: 'https://peerfed.test/a/delete', type: 'Delete', object });
    expect(fediverse.arrivalOrder(object)).toEqual(['Create', 'Update', 'Delete']);
    expect(fediverse.arrivalOrder(object, { acceptedOnly: false })).toEqual(['Create', 'Update', 'Update', 'Delete']);
  });

  it('waits for deliveries that are still on their way', async () => {
    const target = fediverse.instance(1);
    const waiting = fediverse.waitForDeliveries(3, 5_000, { instance: target.name, type: 'Follow' });
    const sends = [0, 1, 2, 3].map((n) => deliver(target.actors[n % 2].inbox, { id: `https://peerfed.test/f/${n}`, type: n === 3 ? 'Like' : 'Follow', object: target.actors[0].id }));
    const records = await waiting;
    await Promise.all(sends);
    expect(records.map((r) => r.type)).toEqual(['Follow', 'Follow', 'Follow']);
    await expect(fediverse.waitForDeliveries(5, 50, { instance: target.name })).rejects.toThrow('4 of 5 deliveries');
  });

  it('resets counters and records, but not behaviours', async () => {
    fediverse.instance(0).setBehaviour(behaviours.gone());
    await deliver(fediverse.instance(0).sharedInboxUrl ?? '', { id: 'https://peerfed.test/r/1', type: 'Like', object: 'https://x/1' });
    fediverse.resetCounters();
    expect(fediverse.count()).toBe(0);
    expect(fediverse.receivedActivity('https://peerfed.test/r/1')).toBe(0);
    expect(fediverse.stats(0)).toMatchObject({ received: 0, accepted: 0, maxConcurrent: 0, byInbox: {} });
    expect((await deliver(fediverse.instance(0).sharedInboxUrl ?? '', { id: 'https://peerfed.test/r/2', type: 'Like', object: 'https://x/1' })).status).toBe(410);
  });
});

describe('configuration', () => {
  it('serves no shared inbox when sharedInbox is false, and uses given usernames', async () => {
    const fediverse = await startFediverse({ instances: 1, usernames: ['alice', 'bob'], sharedInbox: false, keyMode: 'shared' });
    try {
      const instance = fediverse.instance('sim0');
      expect(instance.sharedInboxUrl).toBeUndefined();
      expect(instance.actors.map((a) => a.id)).toEqual([`${instance.baseUrl}/users/alice`, `${instance.baseUrl}/users/bob`]);
      const alice = JSON.parse((await get(instance.actors[0].id)).body) as Record<string, unknown>;
      expect(alice.endpoints).toBeUndefined();
      fediverse.trustKey(KEY_ID, key.publicKeyPem);
      expect((await deliver(`${instance.baseUrl}/inbox`, { id: 'https://peerfed.test/n/1', type: 'Like' })).status).toBe(404);
      const [aliceKey, bobKey] = await Promise.all(instance.actors.map((a) => a.keyPair()));
      expect(aliceKey.publicKeyPem).toBe(bobKey.publicKeyPem);
      expect(instance.actors[0].keyId).not.toBe(instance.actors[1].keyId);
    } finally {
      await fediverse.stop();
    }
  });

  it('rejects invalid options with a message that names them', async () => {
    await expect(startFediverse({ instances: 0 })).rejects.toThrow('instances must be an integer in 1..500');
    await expect(startFediverse({ instances: 1, usernames: ['a', 'a'] })).rejects.toThrow('unique');
    await expect(startFediverse({ instances: 1, usernames: ['a/b'] })).rejects.toThrow('username "a/b"');
    await expect(startFediverse({ instances: 1, maxClockSkewSeconds: 0 })).rejects.toThrow('maxClockSkewSeconds');
  });
});

describe('scale and shutdown', () => {
  it('starts 10 instances x 100 users quickly, serves them, and stops cleanly', async () => {
    const started = Date.now();
    const fediverse = await startFediverse({ instances: 10, usersPerInstance: 100 });
    const startMs = Date.now() - started;
    let stopped = false;
    try {
      expect(fediverse.instances).toHaveLength(10);
      expect(new Set(fediverse.instances.map((i) => i.host)).size).toBe(10);
      expect(new Set(fediverse.actors().map((a) => a.id)).size).toBe(1000);
      const last = fediverse.instance(9).actor('user99');
      const finger = await get(`${fediverse.instance(9).baseUrl}/.well-known/webfinger?resource=acct:${last.acct}`);
      expect(JSON.parse(finger.body)).toMatchObject({ links: [{ href: last.id }] });
      expect((await get(`${fediverse.instance(9).baseUrl}/.well-known/webfinger?resource=acct:user100@${fediverse.instance(9).host}`)).status).toBe(404);
      fediverse.instance(3).setBehaviour(behaviours.hang());
      fediverse.trustKey(KEY_ID, key.publicKeyPem);
      const hanging = deliver(fediverse.instance(3).sharedInboxUrl ?? '', { id: 'https://peerfed.test/h/1', type: 'Like' }).catch((error: unknown) => error);
      await fediverse.waitForDeliveries(1, 5_000);
      const stopStarted = Date.now();
      await fediverse.stop();
      stopped = true;
      const stopMs = Date.now() - stopStarted;
      expect(await hanging).toMatchObject({ code: 'ECONNRESET' });
      expect(startMs).toBeLessThan(3_000);
      expect(stopMs).toBeLessThan(2_000);
      await expect(get(`${fediverse.instance(0).baseUrl}/users/user0`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await expect(fediverse.waitForDeliveries(1, 10)).rejects.toThrow('stopped');
    } finally {
      if (!stopped) await fediverse.stop();
    }
  });

  it('stops a single instance: its port refuses connections, the others keep serving', async () => {
    const fediverse = await startFediverse({ instances: 2, usersPerInstance: 0 });
    try {
      await fediverse.instance(0).stop();
      await expect(get(`${fediverse.instance(0).baseUrl}/.well-known/nodeinfo`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect((await get(`${fediverse.instance(1).baseUrl}/.well-known/nodeinfo`)).status).toBe(200);
    } finally {
      await fediverse.stop();
    }
  });
});
