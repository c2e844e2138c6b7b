import { createTargetFetch, type Exchange, mapToTarget } from './target-fetch.mjs';

const target = new URL('http://localhost:3000');

describe('mapToTarget', () => {
  it('sends the https twin of an http target to the target over http', () => {
    expect(mapToTarget('https://localhost:3000/.well-known/webfinger?resource=acct:demo@localhost:3000', target)).toBe(
      'http://localhost:3000/.well-known/webfinger?resource=acct:demo@localhost:3000',
    );
  });

  it('leaves every other origin alone', () => {
    for (const url of [
      'https://localhost:3001/x',
      'https://127.0.0.1:3000/x',
      'https://example.com/x',
      'https://localhost/x',
      'http://localhost:3000/groups/demo',
      'http://127.0.0.1:4000/users/probe',
    ]) {
      expect(mapToTarget(url, target)).toBe(url);
    }
  });

  it('rewrites nothing when the target itself speaks https', () => {
    expect(mapToTarget('https://peer.test/x', new URL('https://peer.test'))).toBe('https://peer.test/x');
  });
});

describe('createTargetFetch', () => {
  function harness() {
    const seen: string[] = [];
    const exchanges: Exchange[] = [];
    const base = (async (input: string | URL | Request) => {
      seen.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return new Response(null, { status: 202 });
    }) as typeof fetch;
    return { seen, exchanges, fetch: createTargetFetch(base, target, (e) => exchanges.push(e)) };
  }

  it('rewrites a URL or Request input and records the exchange with where it came from', async () => {
    const h = harness();
    await h.fetch(new URL('https://localhost:3000/.well-known/webfinger?resource=x'));
    await h.fetch(new Request('https://localhost:3000/groups/demo', { headers: { accept: 'application/activity+json' } }));
    expect(h.seen).toEqual(['http://localhost:3000/.well-known/webfinger?resource=x', 'http://localhost:3000/groups/demo']);
    expect(h.exchanges).toEqual([
      { method: 'GET', url: 'http://localhost:3000/.well-known/webfinger?resource=x', requestedUrl: 'https://localhost:3000/.well-known/webfinger?resource=x', status: 202 },
      { method: 'GET', url: 'http://localhost:3000/groups/demo', requestedUrl: 'https://localhost:3000/groups/demo', status: 202 },
    ]);
  });

  it('passes a signed POST through untouched and records only exchanges with the target', async () => {
    const h = harness();
    const post = new Request('http://localhost:3000/groups/demo/inbox', { method: 'POST', body: '{}' });
    await h.fetch(post);
    await h.fetch('http://127.0.0.1:4000/users/probe');
    expect(h.seen).toEqual(['http://localhost:3000/groups/demo/inbox', 'http://127.0.0.1:4000/users/probe']);
    expect(h.exchanges).toEqual([{ method: 'POST', url: 'http://localhost:3000/groups/demo/inbox', status: 202 }]);
  });

  it('records a network error and rethrows it', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const exchanges: Exchange[] = [];
    const wrapped = createTargetFetch(failing, target, (e) => exchanges.push(e));
    await expect(wrapped('https://localhost:3000/x')).rejects.toThrow('fetch failed');
    expect(exchanges).toEqual([{ method: 'GET', url: 'http://localhost:3000/x', requestedUrl: 'https://localhost:3000/x', error: 'TypeError: fetch failed' }]);
  });
});
