import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PRIORITIES } from '@peerfed/shared/contracts';
import { activityPriority } from './activity-priority.util';
import { type ApActivity, type ApDocument, type DocumentKind } from './activitypub.types';
import { idOf, typesOf } from './json-ld-values.util';
import { parseActivity, parseActor, parseDocument } from './parse-document.util';
import { sameOrigin } from './same-origin.util';

// 124 real payloads from 14 implementations (see src/fixtures/fediverse/README.md). The shared copy
// is preferred when present so that new payloads are picked up; the lib keeps its own copy.
const SHARED = '/work/shared/fixtures/fediverse';
const ROOT = existsSync(SHARED) ? SHARED : join(__dirname, '../../fixtures/fediverse');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? jsonFiles(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : []))
    .sort();
}

const fixtures = jsonFiles(ROOT).map((file) => ({
  name: relative(ROOT, file),
  json: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>,
}));
const byName = (name: string): Record<string, unknown> => {
  const fixture = fixtures.find((candidate) => candidate.name === name);
  if (fixture === undefined) throw new Error(`no fixture ${name}`);
  return fixture.json;
};
function parsed(name: string): ApDocument {
  const result = parseDocument(byName(name));
  if (!result.ok) throw new Error(`${name}: ${result.error.path} ${result.error.message}`);
  return result.value;
}

function activity(name: string): ApActivity {
  const doc = parsed(name);
  if (doc.kind !== 'activity') throw new Error(`${name} is ${doc.kind}`);
  return doc;
}

/** The expected kind per declared type, written out independently of the parser's tables. */
const EXPECTED_KIND: Record<string, DocumentKind> = {
  Follow: 'activity',
  Accept: 'activity',
  Undo: 'activity',
  Create: 'activity',
  Update: 'activity',
  Delete: 'activity',
  Like: 'activity',
  Dislike: 'activity',
  Announce: 'activity',
  Person: 'actor',
  Group: 'actor',
  Service: 'actor',
  Application: 'actor',
  Organization: 'actor',
  Note: 'object',
  Page: 'object',
  Article: 'object',
  Tombstone: 'tombstone',
  Collection: 'collection',
  OrderedCollection: 'collection',
  // Types we do not handle: reported as unknown, never as errors.
  Block: 'unknown',
  Add: 'unknown',
  Remove: 'unknown',
  Lock: 'unknown',
  Flag: 'unknown',
  Resolve: 'unknown',
  Warn: 'unknown',
  ChatMessage: 'unknown',
  Event: 'unknown',
  Video: 'unknown',
};

describe('the 124 fediverse fixtures', () => {
  it('are all there (124, or more if the shared set grows)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(124);
  });

  it.each(fixtures)('$name parses to the kind of its type', ({ json }) => {
    const result = parseDocument(json);
    if (!result.ok) throw new Error(`${result.error.code} at ${result.error.path}: ${result.error.message}`);
    const declared = typesOf(json['type'])[0] as string;
    expect(EXPECTED_KIND[declared]).toBeDefined();
    expect(result.value.kind).toBe(EXPECTED_KIND[declared]);
    expect(result.value.id).toBe(json['id']);
    expect(result.value.raw).toBe(json);
  });

  it.each(fixtures.filter(({ json }) => 'actor' in json && EXPECTED_KIND[String(json['type'])] !== 'object'))(
    '$name is accepted at an inbox, with the actor it names and a priority lane',
    ({ json }) => {
      const result = parseActivity(json);
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value.kind === 'activity' || result.value.kind === 'unknown').toBe(true);
      expect(result.value.actor).toBe(idOf(json['actor']));
      expect(PRIORITIES).toContain(activityPriority(result.value));
    },
  );

  it('cover every handled activity type except Reject', () => {
    const seen = new Set(fixtures.map(({ json }) => parseDocument(json)).flatMap((result) => (result.ok && result.value.kind === 'activity' ? [result.value.type] : [])));
    expect([...seen].sort()).toEqual(['Accept', 'Announce', 'Create', 'Delete', 'Dislike', 'Follow', 'Like', 'Undo', 'Update']);
  });

  it("name every activity with an id on its actor's origin, as our inbox requires", () => {
    const activities = fixtures.flatMap(({ name, json }) => {
      const result = parseDocument(json);
      return result.ok && result.value.kind === 'activity' && result.value.id !== undefined ? [{ name, id: result.value.id, actor: result.value.actor }] : [];
    });
    expect(activities.length).toBeGreaterThan(50);
    expect(activities.filter((a) => !sameOrigin(a.id, a.actor))).toEqual([]);
  });
});

describe('what the fixtures parse to', () => {
  it('Mastodon Follow: actor and followed actor', () => {
    expect(parsed('mastodon/activities/follow.json')).toMatchObject({
      kind: 'activity',
      type: 'Follow',
      actor: byName('mastodon/activities/follow.json')['actor'],
      object: { id: byName('mastodon/activities/follow.json')['object'] },
    });
  });

  it('Mastodon Undo embeds the Follow it undoes', () => {
    const undo = activity('mastodon/activities/undo_follow.json');
    expect(undo).toMatchObject({ type: 'Undo', object: { embedded: { kind: 'activity', type: 'Follow' } } });
    expect(activityPriority(undo)).toBe('high');
  });

  it('Lemmy community Announce > Create > Page, in the medium lane', () => {
    const announce = activity('lemmy/activities/community/announce_create_page.json');
    expect(announce).toMatchObject({
      type: 'Announce',
      object: { embedded: { kind: 'activity', type: 'Create', object: { embedded: { kind: 'object', type: 'Page' } } } },
    });
    expect(activityPriority(announce)).toBe('medium');
  });

  it('a PeerTube Announce of a video id is a boost: low lane', () => {
    const announce = activity('peertube/activities/announce_video.json');
    expect(announce).toMatchObject({ type: 'Announce', object: { id: expect.any(String) } });
    expect(activityPriority(announce)).toBe('low');
  });

  it('Lemmy user deletion (object = actor) is critical', () => {
    const deletion = activity('lemmy/activities/deletion/delete_user.json');
    expect(deletion).toMatchObject({ type: 'Delete' });
    expect(activityPriority(deletion)).toBe('critical');
    expect(activityPriority(activity('lemmy/activities/deletion/delete_page.json'))).toBe('medium');
  });

  it('Lemmy Group: inbox, shared inbox, key, moderators collection in attributedTo', () => {
    const result = parseActor(byName('lemmy/objects/group.json'));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({
      type: 'Group',
      preferredUsername: 'tenforward',
      inbox: 'https://enterprise.lemmy.ml/c/tenforward/inbox',
      sharedInbox: 'https://enterprise.lemmy.ml/inbox',
      followers: 'https://enterprise.lemmy.ml/c/tenforward/followers',
      attributedTo: ['https://enterprise.lemmy.ml/c/tenforward/moderators'],
      postingRestrictedToMods: false,
      publicKey: { id: 'https://enterprise.lemmy.ml/c/tenforward#main-key', owner: 'https://enterprise.lemmy.ml/c/tenforward' },
    });
    expect(result.value.publicKey?.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('a Mastodon Person: key, endpoints, collections', () => {
    const person = parsed('mastodon/objects/person.json');
    expect(person).toMatchObject({ kind: 'actor', type: 'Person', sharedInbox: expect.stringMatching(/^https:\/\//) });
    if (person.kind !== 'actor') throw new Error('not an actor');
    expect(person.publicKey?.owner).toBe(person.id);
    expect(person.followers).toMatch(/^https:\/\//);
  });

  it('a WordPress Announce > Update > Article, and an Article on its own', () => {
    expect(parsed('wordpress/activities/announce.json')).toMatchObject({
      object: { embedded: { type: 'Update', object: { embedded: { kind: 'object', type: 'Article', name: 'Lemmy (Part 4)' } } } },
    });
    expect(parsed('nodebb/objects/page.json')).toMatchObject({ kind: 'object', type: 'Article' });
  });

  it('a Lemmy outbox keeps its embedded activities', () => {
    const outbox = parsed('lemmy/collections/group_outbox.json');
    expect(outbox).toMatchObject({ kind: 'collection', type: 'OrderedCollection' });
    if (outbox.kind !== 'collection') throw new Error('not a collection');
    expect(outbox.items.length).toBeGreaterThan(0);
    expect(outbox.items.every((item) => item.embedded?.kind === 'activity')).toBe(true);
  });

  it('types we do not handle are unknown, with their actor when they name one', () => {
    expect(parsed('lemmy/activities/block/block_user.json')).toMatchObject({ kind: 'unknown', types: ['Block'], actor: expect.any(String) });
    expect(parsed('pleroma/objects/chat_message.json')).toMatchObject({ kind: 'unknown', types: ['ChatMessage'] });
    expect(parsed('mastodon/activities/flag.json')).toMatchObject({ kind: 'unknown', types: ['Flag'] });
  });
});
