import { ActorUrls } from './actor-urls.util';

describe('ActorUrls', () => {
  const urls = new ActorUrls('http://localhost:3000/');

  it('derives every id from the public origin', () => {
    const demo = urls.actor({ kind: 'challenge', username: 'demo' });
    expect(demo).toBe('http://localhost:3000/groups/demo');
    expect(urls.actor({ kind: 'user', username: 'alice' })).toBe('http://localhost:3000/users/alice');
    expect(urls.keyId(demo)).toBe('http://localhost:3000/groups/demo#main-key');
    expect(urls.inbox(demo)).toBe('http://localhost:3000/groups/demo/inbox');
    expect(urls.moderators(demo)).toBe('http://localhost:3000/groups/demo/moderators');
    expect(urls.sharedInbox).toBe('http://localhost:3000/inbox');
    expect(urls.instanceActor).toBe('http://localhost:3000/actor');
    expect(urls.host).toBe('localhost:3000');
  });

  it('parses only its own actor URLs', () => {
    expect(urls.parseActor('http://localhost:3000/groups/demo')).toEqual({ kind: 'challenge', username: 'demo' });
    expect(urls.parseActor('http://localhost:3000/users/bob')).toEqual({ kind: 'user', username: 'bob' });
    expect(urls.parseActor('http://localhost:3001/users/bob')).toBeUndefined();
    expect(urls.parseActor('http://localhost:3000/users/bob/inbox')).toBeUndefined();
    expect(urls.parseActor('http://localhost:3000/users/Bob')).toBeUndefined();
    expect(urls.parseActor('not a url')).toBeUndefined();
    expect(urls.isLocal('http://localhost:3000/objects/x')).toBe(true);
    expect(urls.isLocal('https://remote.example/objects/x')).toBe(false);
  });
});
