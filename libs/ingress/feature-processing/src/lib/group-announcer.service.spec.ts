import { ActorUrls, type LocalActorRepository } from '@peerfed/ingress/data-access';
import { type ApActivity, parseActivity } from '@peerfed/shared/activitypub';
import { type FederationEventsPublisher } from './federation-events.publisher';
import { GroupAnnouncer } from './group-announcer.service';

const urls = new ActorUrls('http://localhost:3000');
const like = parseActivity({ id: 'https://remote.example/likes/1', type: 'Like', actor: 'https://remote.example/users/zoe', object: 'https://remote.example/notes/1' });
if (!like.ok || like.value.kind !== 'activity') throw new Error('fixture does not parse');
const activity: ApActivity = like.value;

function setup() {
  const owners: Record<string, { id: string; kind: string; username: string }> = {
    'group-uuid': { id: 'group-uuid', kind: 'challenge', username: 'demo' },
    'user-uuid': { id: 'user-uuid', kind: 'user', username: 'alice' },
  };
  const actors = { findById: jest.fn((id: string) => Promise.resolve(owners[id] ?? null)) } as unknown as LocalActorRepository;
  const announce = jest.fn(() => Promise.resolve());
  const events = { announce } as unknown as FederationEventsPublisher;
  return { announce, announcer: new GroupAnnouncer(urls, actors, events) };
}

describe('GroupAnnouncer', () => {
  it("announces an activity about a Group's object as that Group, to its followers collection", async () => {
    const { announce, announcer } = setup();
    expect(await announcer.announce(activity, 'group-uuid')).toBe(true);
    expect(announce).toHaveBeenCalledWith('http://localhost:3000/groups/demo', 'http://localhost:3000/groups/demo/followers', activity.raw);
  });

  it("passes nothing on for a user's object, an unknown owner or no owner", async () => {
    const { announce, announcer } = setup();
    expect(await announcer.announce(activity, 'user-uuid')).toBe(false);
    expect(await announcer.announce(activity, 'gone-uuid')).toBe(false);
    expect(await announcer.announce(activity, null)).toBe(false);
    expect(await announcer.announce(activity, undefined)).toBe(false);
    expect(announce).not.toHaveBeenCalled();
  });
});
