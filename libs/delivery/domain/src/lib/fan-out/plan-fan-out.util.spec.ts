import { planFanOut, type FollowerEndpoint } from './plan-fan-out.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

const LOCAL = ['peerfed.example'];

function followersOn(instances: number, perInstance: number, withSharedInbox: (i: number) => boolean): FollowerEndpoint[] {
  const followers: FollowerEndpoint[] = [];
  for (let u = 0; u < perInstance; u++) {
    for (let i = 0; i < instances; i++) {
      const host = `https://i${i}.social`;
      followers.push({
        actorId: `${host}/users/u${u}`,
        inbox: `${host}/users/u${u}/inbox`,
        ...(withSharedInbox(i) ? { sharedInbox: `${host}/inbox` } : {}),
      });
    }
  }
  return followers;
}

describe('planFanOut', () => {
  it('1 000 followers on 10 instances with shared inboxes: 10 destinations', () => {
    const plan = planFanOut({ followers: followersOn(10, 100, () => true), localHosts: LOCAL });
    expect(plan.destinations).toHaveLength(10);
    expect(plan.destinations.every((d) => d.shared && d.inbox.endsWith('.social/inbox'))).toBe(true);
    expect(plan.byHost.map((g) => g.destinations.length)).toEqual(Array(10).fill(1));
  });

  it('10 000 followers on 1 000 instances: exactly 1 000 destinations, quickly', () => {
    const followers = followersOn(1000, 10, () => true);
    const started = performance.now();
    const plan = planFanOut({ followers, localHosts: LOCAL });
    const elapsed = performance.now() - started;
    expect(plan.destinations).toHaveLength(1000);
    expect(new Set(plan.destinations.map((d) => d.host)).size).toBe(1000);
    // Linear work takes a few ms; the bound is loose because the machine is shared.
    expect(elapsed).toBeLessThan(1000);
  });

  it('a follower without a shared inbox gets its personal inbox', () => {
    const plan = planFanOut({ followers: followersOn(4, 3, (i) => i % 2 === 0), localHosts: LOCAL });
    // 2 instances x 1 shared inbox + 2 instances x 3 personal inboxes
    expect(plan.destinations).toHaveLength(8);
    expect(plan.byHost.find((g) => g.host === 'i1.social')?.destinations.map((d) => d.shared)).toEqual([false, false, false]);
  });

  it('useSharedInbox=false (direct messages) keeps personal inboxes', () => {
    const plan = planFanOut({ followers: followersOn(2, 3, () => true), localHosts: LOCAL, useSharedInbox: false });
    expect(plan.destinations).toHaveLength(6);
    expect(plan.destinations.some((d) => d.shared)).toBe(false);
  });

  it('never delivers to our own host (comparing host and port)', () => {
    const plan = planFanOut({
      followers: [
        { actorId: 'https://peerfed.example/users/bob', inbox: 'https://PeerFed.Example/users/bob/inbox', sharedInbox: 'https://peerfed.example/inbox' },
        { actorId: 'http://localhost:3000/users/a', inbox: 'http://localhost:3000/users/a/inbox' },
        { actorId: 'http://localhost:3100/users/b', inbox: 'http://localhost:3100/users/b/inbox' },
      ],
      localHosts: ['https://peerfed.example', 'localhost:3000'],
      explicitInboxes: ['https://peerfed.example./users/carol/inbox'],
    });
    expect(plan.destinations.map((d) => d.inbox)).toEqual(['http://localhost:3100/users/b/inbox']);
    expect(plan.skippedLocal).toBe(3);
  });

  it('dedupes URLs that differ only in host case, default port or fragment', () => {
    const plan = planFanOut({
      followers: [
        { actorId: 'a', inbox: 'x', sharedInbox: 'https://Mastodon.Social/inbox' },
        { actorId: 'b', inbox: 'x', sharedInbox: 'https://mastodon.social:443/inbox' },
        { actorId: 'c', inbox: 'x', sharedInbox: 'https://mastodon.social/inbox#frag' },
      ],
      localHosts: LOCAL,
      explicitInboxes: ['https://mastodon.social/inbox'],
    });
    expect(plan.destinations).toEqual([{ inbox: 'https://mastodon.social/inbox', host: 'mastodon.social', shared: true }]);
  });

  it('adds explicit inboxes as personal deliveries', () => {
    const plan = planFanOut({
      followers: followersOn(1, 2, () => true),
      localHosts: LOCAL,
      explicitInboxes: ['https://i0.social/users/zed/inbox', 'https://lemmy.example/u/x/inbox', 'https://lemmy.example/u/x/inbox'],
    });
    expect(plan.destinations).toEqual([
      { inbox: 'https://i0.social/inbox', host: 'i0.social', shared: true },
      { inbox: 'https://i0.social/users/zed/inbox', host: 'i0.social', shared: false },
      { inbox: 'https://lemmy.example/u/x/inbox', host: 'lemmy.example', shared: false },
    ]);
  });

  it('the order does not depend on the input order', () => {
    const followers = followersOn(20, 3, (i) => i % 3 !== 0);
    const forward = planFanOut({ followers, localHosts: LOCAL });
    const backward = planFanOut({ followers: [...followers].reverse(), localHosts: LOCAL });
    expect(backward.destinations).toEqual(forward.destinations);
    const hosts = forward.byHost.map((g) => g.host);
    expect(hosts).toEqual([...hosts].sort());
  });

  it('reports unusable inbox URLs instead of failing the whole fan-out', () => {
    const plan = planFanOut({
      followers: [
        { actorId: 'a', inbox: 'not a url' },
        { actorId: 'b', inbox: 'ftp://files.example/inbox' },
        { actorId: 'c', inbox: 'https://user:pw@evil.example/inbox' },
        { actorId: 'd', inbox: 'https://fine.example/inbox' },
      ],
      localHosts: LOCAL,
    });
    expect(plan.destinations.map((d) => d.host)).toEqual(['fine.example']);
    expect(plan.rejected).toEqual([
      { url: 'not a url', actorId: 'a', reason: 'unparseable' },
      { url: 'ftp://files.example/inbox', actorId: 'b', reason: 'unsupported-scheme' },
      { url: 'https://user:pw@evil.example/inbox', actorId: 'c', reason: 'credentials-in-url' },
    ]);
  });

  it('rejects a malformed local host list', () => {
    expect(() => planFanOut({ followers: [], localHosts: [''] })).toThrow(DeliveryDomainError);
    expect(() => planFanOut({ followers: [], localHosts: ['http://'] })).toThrow(DeliveryDomainError);
  });
});
