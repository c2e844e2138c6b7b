import { ActorUrls, type LocalActorRepository, type ObjectRepository } from '@peerfed/ingress/data-access';
import { type ApActivity, parseActivity } from '@peerfed/shared/activitypub';
import { type EntityManager } from 'typeorm';
import { ContentActivitiesHandler } from './content-activities.handler';
import { type FederationEventsPublisher } from './federation-events.publisher';
import { type GroupAnnouncer } from './group-announcer.service';

const urls = new ActorUrls('http://localhost:3000');
const GROUP = 'http://localhost:3000/groups/demo';
const ZOE = 'https://remote.example/users/zoe';
const manager = {} as EntityManager;

function activity(overrides: Record<string, unknown> = {}, note: Record<string, unknown> = {}): ApActivity {
  const parsed = parseActivity({
    id: 'https://remote.example/activities/1',
    type: 'Create',
    actor: ZOE,
    object: { id: 'https://remote.example/notes/1', type: 'Note', attributedTo: ZOE, content: 'hi', to: [GROUP], ...note },
    ...overrides,
  });
  if (!parsed.ok || parsed.value.kind !== 'activity') throw new Error('fixture does not parse');
  return parsed.value;
}

function setup(parent: { localActorId: string | null } | null = null) {
  const upsert = jest.fn(() => Promise.resolve('created' as const));
  const objects = { upsert, find: jest.fn(() => Promise.resolve(parent)), tombstone: jest.fn(() => Promise.resolve(parent ?? undefined)) } as unknown as ObjectRepository;
  const demo = { id: 'group-uuid', kind: 'challenge', username: 'demo' };
  const alice = { id: 'user-uuid', kind: 'user', username: 'alice' };
  const actors = {
    findByRef: jest.fn((kind: string, username: string) => Promise.resolve(kind === 'challenge' && username === 'demo' ? demo : null)),
    findById: jest.fn((id: string) => Promise.resolve([demo, alice].find((actor) => actor.id === id) ?? null)),
  } as unknown as LocalActorRepository;
  const postChanged = jest.fn(() => Promise.resolve());
  const events = { postChanged } as unknown as FederationEventsPublisher;
  const announce = jest.fn(() => Promise.resolve(true));
  const groups = { announce } as unknown as GroupAnnouncer;
  return { upsert, postChanged, announce, handler: new ContentActivitiesHandler(urls, actors, objects, events, groups) };
}

describe('ContentActivitiesHandler', () => {
  it('stores a Note addressed to a local Group under that Group, and has the Group announce it', async () => {
    const { handler, upsert, postChanged, announce } = setup();
    const create = activity();
    expect(await handler.createOrUpdate({ activity: create, actorId: ZOE, manager })).toEqual({ outcome: 'object-created' });
    expect(announce).toHaveBeenCalledWith(create, 'group-uuid');
    expect(upsert).toHaveBeenCalledWith(expect.objectContaining({ objectId: 'https://remote.example/notes/1', localActorId: 'group-uuid', local: false, content: 'hi' }), manager);
    expect(postChanged).toHaveBeenCalledWith(
      { change: 'created', objectId: 'https://remote.example/notes/1', attributedTo: ZOE, type: 'Note', groupId: GROUP },
      'https://remote.example/activities/1',
    );
  });

  it("stores a reply to a stored object under the parent's Group", async () => {
    const { handler, upsert } = setup({ localActorId: 'group-uuid' });
    const reply = activity({}, { to: ['https://www.w3.org/ns/activitystreams#Public'], inReplyTo: 'https://remote.example/notes/0' });
    expect(await handler.createOrUpdate({ activity: reply, actorId: ZOE, manager })).toEqual({ outcome: 'object-created' });
    expect(upsert).toHaveBeenCalledWith(expect.objectContaining({ inReplyTo: 'https://remote.example/notes/0', localActorId: 'group-uuid' }), manager);
  });

  it("stores a reply to a local user's object as that user's, naming no Group", async () => {
    const { handler, upsert, postChanged } = setup({ localActorId: 'user-uuid' });
    const reply = activity({}, { to: ['https://www.w3.org/ns/activitystreams#Public'], inReplyTo: 'http://localhost:3000/objects/0' });
    expect(await handler.createOrUpdate({ activity: reply, actorId: ZOE, manager })).toEqual({ outcome: 'object-created' });
    expect(upsert).toHaveBeenCalledWith(expect.objectContaining({ localActorId: 'user-uuid' }), manager);
    expect(postChanged).toHaveBeenCalledWith(
      { change: 'created', objectId: 'https://remote.example/notes/1', attributedTo: ZOE, type: 'Note', inReplyTo: 'http://localhost:3000/objects/0' },
      'https://remote.example/activities/1',
    );
  });

  it('ignores objects not addressed to us, written by someone else, or claiming our origin', async () => {
    const { handler, upsert, postChanged, announce } = setup();
    const elsewhere = activity({}, { to: ['https://www.w3.org/ns/activitystreams#Public'] });
    expect(await handler.createOrUpdate({ activity: elsewhere, actorId: ZOE, manager })).toEqual({ outcome: 'ignored:not-addressed-to-us' });
    const forged = activity({}, { attributedTo: 'https://remote.example/users/other' });
    expect(await handler.createOrUpdate({ activity: forged, actorId: ZOE, manager })).toEqual({ outcome: 'ignored:not-the-author' });
    const ours = activity({}, { id: 'http://localhost:3000/objects/1' });
    expect(await handler.createOrUpdate({ activity: ours, actorId: ZOE, manager })).toEqual({ outcome: 'ignored:claims-a-local-object' });
    const elsewhereOrigin = activity({}, { id: 'https://other.example/notes/1' });
    expect(await handler.createOrUpdate({ activity: elsewhereOrigin, actorId: ZOE, manager })).toEqual({ outcome: 'ignored:object-of-another-origin' });
    expect(upsert).not.toHaveBeenCalled();
    expect(postChanged).not.toHaveBeenCalled();
    expect(announce).not.toHaveBeenCalled();
  });

  it('publishes and announces nothing when the store refuses an update by someone other than the author', async () => {
    const { handler, upsert, postChanged, announce } = setup();
    upsert.mockResolvedValueOnce('refused' as never);
    const update = activity({ type: 'Update' });
    expect(await handler.createOrUpdate({ activity: update, actorId: ZOE, manager })).toEqual({ outcome: 'ignored:not-the-author' });
    expect(postChanged).not.toHaveBeenCalled();
    expect(announce).not.toHaveBeenCalled();
  });

  it("passes a deleted post's owner to the announcer, and announces nothing for an unknown object", async () => {
    const { handler, announce } = setup({ localActorId: 'group-uuid' });
    const del = activity({ type: 'Delete', object: 'https://remote.example/notes/1' });
    expect(await handler.delete({ activity: del, actorId: ZOE, manager })).toEqual({ outcome: 'object-deleted' });
    expect(announce).toHaveBeenCalledWith(del, 'group-uuid');
  });
});
