import { behaviours } from './behaviour.util';
import { type Fediverse, startFediverse } from './fediverse.service';
import { type HttpResult, type KeyPairPem } from './fedisim.types';
import { generateRsaKeyPair } from './lazy-key-pair.util';
import { signRequest } from './request-signer.util';
import { SimHttpClient } from './sim-http.client';

// Each behaviour mode, as the delivery service would see it from a remote inbox.

const KEY_ID = 'https://peerfed.test/users/alice#main-key';

let fediverse: Fediverse;
let client: SimHttpClient;
let key: KeyPairPem;
let counter = 0;

async function deliver(url: string, timeoutMs = 5_000): Promise<HttpResult> {
  counter += 1;
  const body = Buffer.from(JSON.stringify({ id: `https://peerfed.test/activities/${counter}`, type: 'Create', actor: 'https://peerfed.test/users/alice', object: `https://peerfed.test/notes/${counter}` }));
  const target = new URL(url);
  const headers = await signRequest({ method: 'POST', url: target, body, headers: { 'content-type': 'application/activity+json' } }, { keyId: KEY_ID, privateKeyPem: key.privateKeyPem });
  return client.request({ method: 'POST', url: target, headers, body, timeoutMs });
}

const shared = (index = 0): string => fediverse.instance(index).sharedInboxUrl ?? '';

beforeAll(async () => {
  [fediverse, key] = await Promise.all([startFediverse({ instances: 2, usersPerInstance: 2 }), generateRsaKeyPair()]);
  fediverse.trustKey(KEY_ID, key.publicKeyPem);
  client = new SimHttpClient();
});

afterAll(async () => {
  client.close();
  await fediverse.stop();
});

beforeEach(() => {
  fediverse.resetBehaviours();
  fediverse.resetCounters();
});

describe('status behaviours', () => {
  it('ok answers 202 Accepted', async () => {
    expect((await deliver(shared())).status).toBe(202);
    expect(fediverse.deliveries()).toEqual([expect.objectContaining({ outcome: 202, accepted: true })]);
  });

  it('fail500 and fail(status) answer that status and are recorded as not accepted', async () => {
    fediverse.instance(0).setBehaviour(behaviours.fail500());
    expect((await deliver(shared())).status).toBe(500);
    fediverse.instance(0).setBehaviour(behaviours.fail(404));
    expect((await deliver(shared())).status).toBe(404);
    expect(fediverse.deliveries().map((r) => [r.outcome, r.accepted])).toEqual([
      [500, false],
      [404, false],
    ]);
  });

  it('rateLimited answers 429 with Retry-After in seconds or as an HTTP-date', async () => {
    fediverse.instance(0).setBehaviour(behaviours.rateLimited(30));
    const seconds = await deliver(shared());
    expect([seconds.status, seconds.headers['retry-after']]).toEqual([429, '30']);
    const until = new Date(Date.now() + 90_000);
    fediverse.instance(0).setBehaviour(behaviours.rateLimited(until));
    const date = await deliver(shared());
    expect([date.status, date.headers['retry-after']]).toEqual([429, until.toUTCString()]);
  });

  it('serviceUnavailable answers 503, with Retry-After when given', async () => {
    fediverse.instance(0).setBehaviour(behaviours.serviceUnavailable(120));
    const withHeader = await deliver(shared());
    expect([withHeader.status, withHeader.headers['retry-after']]).toEqual([503, '120']);
    fediverse.instance(0).setBehaviour(behaviours.serviceUnavailable());
    const without = await deliver(shared());
    expect([without.status, without.headers['retry-after']]).toEqual([503, undefined]);
  });

  it('gone answers 410', async () => {
    fediverse.instance(0).setBehaviour(behaviours.gone());
    expect((await deliver(shared())).status).toBe(410);
  });
});

describe('connection behaviours', () => {
  it('reset destroys the connection: the client sees ECONNRESET, the attempt is recorded', async () => {
    fediverse.instance(0).setBehaviour(behaviours.reset());
    await expect(deliver(shared())).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(fediverse.deliveries()).toEqual([expect.objectContaining({ outcome: 'reset', accepted: false })]);
  });

  it('hang never answers: a client with a timeout times out', async () => {
    fediverse.instance(0).setBehaviour(behaviours.hang());
    await expect(deliver(shared(), 200)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(fediverse.deliveries()).toEqual([expect.objectContaining({ outcome: 'hang', accepted: false })]);
  });

  it('slow answers 202 after the delay, or is recorded as abandoned when the client gives up first', async () => {
    fediverse.instance(0).setBehaviour(behaviours.slow(150));
    const started = Date.now();
    expect((await deliver(shared())).status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    fediverse.instance(0).setBehaviour(behaviours.slow(5_000));
    await expect(deliver(shared(), 100)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    await expect(waitUntil(() => fediverse.stats(0).inFlight === 0, 2_000)).resolves.toBe(true);
    expect(fediverse.deliveries().map((r) => [r.outcome, r.accepted])).toEqual([
      [202, true],
      ['abandoned', false],
    ]);
  });
});

describe('scripted and scoped behaviours', () => {
  it('a sequence fails three times then succeeds', async () => {
    fediverse.instance(0).setBehaviour(behaviours.sequence(behaviours.repeat(3, behaviours.fail500())));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) statuses.push((await deliver(shared())).status);
    expect(statuses).toEqual([500, 500, 500, 202, 202]);
  });

  it('a sequence can mix modes and end in another mode', async () => {
    fediverse.instance(0).setBehaviour(behaviours.sequence([behaviours.rateLimited(1), behaviours.serviceUnavailable(2)], behaviours.gone()));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await deliver(shared())).status);
    expect(statuses).toEqual([429, 503, 410, 410]);
  });

  it('a per-inbox behaviour overrides the instance behaviour for that inbox only', async () => {
    const instance = fediverse.instance(0);
    instance.setBehaviour(behaviours.fail(502));
    instance.setBehaviour(behaviours.ok(), { inbox: instance.actors[1].inbox });
    instance.setBehaviour(behaviours.gone(), { inbox: 'shared' });
    expect((await deliver(instance.actors[0].inbox)).status).toBe(502);
    expect((await deliver(instance.actors[1].inbox)).status).toBe(202);
    expect((await deliver(shared())).status).toBe(410);
    expect((await deliver(shared(1))).status).toBe(202);
    expect(() => instance.setBehaviour(behaviours.ok(), { inbox: '/users/nobody/inbox' })).toThrow('has no inbox');
  });

  it('a fediverse-wide behaviour gives every instance its own sequence state', async () => {
    fediverse.setBehaviour(behaviours.sequence([behaviours.fail500()]));
    expect((await deliver(shared(0))).status).toBe(500);
    expect((await deliver(shared(1))).status).toBe(500);
    expect((await deliver(shared(0))).status).toBe(202);
  });

  it('a request with a bad signature gets 401 and does not consume a sequence step', async () => {
    fediverse.instance(0).setBehaviour(behaviours.sequence([behaviours.fail500()]));
    const target = new URL(shared());
    const body = Buffer.from('{"id":"https://peerfed.test/x","type":"Like"}');
    const headers = await signRequest({ method: 'POST', url: target, body }, { keyId: KEY_ID, privateKeyPem: key.privateKeyPem });
    const tampered = await client.request({ method: 'POST', url: target, headers, body: Buffer.from('{"id":"https://peerfed.test/y","type":"Like"}'), timeoutMs: 5_000 });
    expect(tampered.status).toBe(401);
    expect((await deliver(shared())).status).toBe(500);
  });
});

/** Polls a condition every 10 ms until it holds or the time is up. */
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
