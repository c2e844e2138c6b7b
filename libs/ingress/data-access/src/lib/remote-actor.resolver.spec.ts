import { DocumentFetcher } from './document-fetcher.client';
import { type RedisJsonCache } from './redis-json.cache';
import { type RemoteActorRepository } from './remote-actor.repository';
import { RemoteActorResolver } from './remote-actor.resolver';
import { RemoteFetchException } from './remote-fetch.exception';

const ACTOR = 'https://remote.example/users/zoe';
const KEY = `${ACTOR}#main-key`;
const PEM = '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n';

function actorDocument(pem = PEM): Record<string, unknown> {
  return { id: ACTOR, type: 'Person', inbox: `${ACTOR}/inbox`, endpoints: { sharedInbox: 'https://remote.example/inbox' }, publicKey: { id: KEY, owner: ACTOR, publicKeyPem: pem } };
}

class MapCache {
  readonly values = new Map<string, unknown>();
  get = jest.fn((key: string) => Promise.resolve(this.values.get(key)));
  set = jest.fn((key: string, value: unknown) => {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  });
  delete = jest.fn((...keys: string[]) => {
    keys.forEach((key) => this.values.delete(key));
    return Promise.resolve();
  });
}

class ScriptedFetcher extends DocumentFetcher {
  readonly calls: string[] = [];
  constructor(private readonly answer: (url: string) => Record<string, unknown>) {
    super();
  }
  fetchDocument(url: string): Promise<Record<string, unknown>> {
    this.calls.push(url);
    try {
      return Promise.resolve(this.answer(url));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}

function setup(answer: (url: string) => Record<string, unknown>, stored: Awaited<ReturnType<RemoteActorRepository['find']>> = null) {
  const fetcher = new ScriptedFetcher(answer);
  const cache = new MapCache();
  const repository = { findByKeyId: jest.fn(() => Promise.resolve(stored)), find: jest.fn(() => Promise.resolve(stored)) } as unknown as RemoteActorRepository;
  return { fetcher, cache, resolver: new RemoteActorResolver(fetcher, repository, cache as unknown as RedisJsonCache) };
}

describe('RemoteActorResolver', () => {
  it('fetches a key once, then answers from the cache (marked fromCache so a failure refetches)', async () => {
    const { fetcher, resolver } = setup(() => actorDocument());
    expect(await resolver.resolveKey(KEY, { refresh: false })).toEqual({ key: PEM, owner: ACTOR, fromCache: false });
    expect(await resolver.resolveKey(KEY, { refresh: false })).toEqual({ key: PEM, owner: ACTOR, fromCache: true });
    expect(fetcher.calls).toEqual([ACTOR]);
  });

  it('refresh bypasses the cache and picks up a rotated key', async () => {
    let pem = PEM;
    const { fetcher, resolver } = setup(() => actorDocument(pem));
    await resolver.resolveKey(KEY, { refresh: false });
    pem = PEM.replace('abc', 'def');
    expect(await resolver.resolveKey(KEY, { refresh: true })).toMatchObject({ key: pem, fromCache: false });
    expect(fetcher.calls).toHaveLength(2);
  });

  it('follows a standalone key document to its owner', async () => {
    const { fetcher, resolver } = setup((url) => (url === 'https://remote.example/keys/1' ? { id: 'https://remote.example/keys/1', owner: ACTOR, publicKeyPem: PEM } : {
      ...actorDocument(),
      publicKey: { id: 'https://remote.example/keys/1', owner: ACTOR, publicKeyPem: PEM },
    }));
    expect(await resolver.resolveKey('https://remote.example/keys/1', { refresh: false })).toMatchObject({ owner: ACTOR });
    expect(fetcher.calls).toEqual(['https://remote.example/keys/1', ACTOR]);
  });

  it('answers null for a gone actor or a key the actor does not own, and throws on other failures', async () => {
    const gone = setup(() => {
      throw new RemoteFetchException('gone', ACTOR, 'HTTP 410');
    });
    expect(await gone.resolver.resolveKey(KEY, { refresh: false })).toBeNull();
    const foreign = setup(() => ({ ...actorDocument(), publicKey: { id: KEY, owner: 'https://elsewhere.example/u', publicKeyPem: PEM } }));
    expect(await foreign.resolver.resolveKey(KEY, { refresh: false })).toBeNull();
    const timeout = setup(() => {
      throw new RemoteFetchException('timeout', ACTOR, 'too slow');
    });
    await expect(timeout.resolver.resolveKey(KEY, { refresh: false })).rejects.toThrow('timeout');
    const impostor = setup(() => ({ ...actorDocument(), id: 'https://remote.example/users/other' }));
    await expect(impostor.resolver.resolveKey(KEY, { refresh: false })).rejects.toThrow("document's id");
  });

  it('uses a fresh stored key before fetching', async () => {
    const stored = { actorId: ACTOR, keyId: KEY, publicKeyPem: PEM, fetchedAt: new Date(), gone: false } as Awaited<ReturnType<RemoteActorRepository['find']>>;
    const { fetcher, resolver } = setup(() => actorDocument(), stored);
    expect(await resolver.resolveKey(KEY, { refresh: false })).toEqual({ key: PEM, owner: ACTOR, fromCache: true });
    expect(fetcher.calls).toEqual([]);
  });
});
