import {
  ActorUrls,
  type FollowerRepository,
  type FollowingRepository,
  type LocalActorRepository,
  type RedisJsonCache,
  type RemoteActorRecord,
} from '@peerfed/ingress/data-access';
import { type ApActivity, parseActivity } from '@peerfed/shared/activitypub';
import { type EntityManager } from 'typeorm';
import { type FederationEventsPublisher } from './federation-events.publisher';
import { FollowActivitiesHandler } from './follow-activities.handler';

const urls = new ActorUrls('http://localhost:3000');
const GROUP = 'http://localhost:3000/groups/demo';
const ZOE = 'https://remote.example/users/zoe';
const manager = {} as EntityManager;
const zoe = { actorId: ZOE, inbox: `${ZOE}/inbox`, sharedInbox: 'https://remote.example/inbox' } as RemoteActorRecord;

function follow(object = GROUP): ApActivity {
  const parsed = parseActivity({ id: 'https://remote.example/follows/1', type: 'Follow', actor: ZOE, object });
  if (!parsed.ok || parsed.value.kind !== 'activity') throw new Error('fixture does not parse');
  return parsed.value;
}

function setup() {
  const followers = { upsert: jest.fn(() => Promise.resolve()) };
  const events = { followerChanged: jest.fn(() => Promise.resolve()), publish: jest.fn(() => Promise.resolve()) };
  const cache = { delete: jest.fn(() => Promise.resolve()) };
  const actors = { findByRef: jest.fn(() => Promise.resolve({ id: 'group-uuid', kind: 'challenge', username: 'demo' })) };
  const handler = new FollowActivitiesHandler(
    urls,
    actors as unknown as LocalActorRepository,
    followers as unknown as FollowerRepository,
    {} as FollowingRepository,
    events as unknown as FederationEventsPublisher,
    cache as unknown as RedisJsonCache,
  );
  return { handler, followers, events, cache };
}

describe('FollowActivitiesHandler.follow', () => {
  it('stores an accepted follower, emits the change and publishes an Accept to the follower inbox', async () => {
    const { handler, followers, events, cache } = setup();
    const effect = await handler.follow({ activity: follow(), actorId: ZOE, manager }, zoe);
    expect(effect.outcome).toBe('follower-added');
    expect(followers.upsert).toHaveBeenCalledWith(
      { localActorId: 'group-uuid', followerId: ZOE, inbox: zoe.inbox, sharedInbox: zoe.sharedInbox, state: 'accepted', followActivityId: 'https://remote.example/follows/1' },
      manager,
    );
    expect(events.followerChanged).toHaveBeenCalledWith('added', GROUP, expect.objectContaining({ followerId: ZOE }), 'https://remote.example/follows/1');
    const [accept, sender, inboxes] = events.publish.mock.calls[0] as unknown as [Record<string, unknown>, string, string[]];
    expect(accept).toMatchObject({ type: 'Accept', actor: GROUP, object: { id: 'https://remote.example/follows/1', type: 'Follow', actor: ZOE, object: GROUP } });
    expect(String(accept['id'])).toMatch(/^http:\/\/localhost:3000\/groups\/demo\/accepts\/[0-9a-f-]{36}$/);
    expect([sender, inboxes]).toEqual([GROUP, [zoe.inbox]]);
    expect(cache.delete).not.toHaveBeenCalled();
    await effect.afterCommit?.();
    expect(cache.delete).toHaveBeenCalledWith('ingress:count:followers:group-uuid');
  });

  it('ignores a Follow of something that is not a local actor', async () => {
    const { handler, followers, events } = setup();
    expect((await handler.follow({ activity: follow('https://elsewhere.example/users/x'), actorId: ZOE, manager }, zoe)).outcome).toBe('ignored:not-a-local-actor');
    expect(followers.upsert).not.toHaveBeenCalled();
    expect(events.publish).not.toHaveBeenCalled();
  });
});
