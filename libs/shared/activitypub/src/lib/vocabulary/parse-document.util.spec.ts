import { AS_PUBLIC } from './activitystreams.constants';
import { type ApDocument, type ParseResult } from './activitypub.types';
import { actorKeyFor, keyIdDocumentUrl } from './actor-key.util';
import { parseActivity, parseActor, parseCollection, parseDocument, parseObject } from './parse-document.util';

const ALICE = 'https://remote.example/users/alice';
const NOTE_ID = 'https://remote.example/notes/1';

function follow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': 'https://www.w3.org/ns/activitystreams',
    id: 'https://remote.example/activities/1',
    type: 'Follow',
    actor: ALICE,
    object: 'https://peerfed.example/challenges/demo',
    ...overrides,
  };
}

function ok<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code} at ${result.error.path}: ${result.error.message}`);
  return result.value;
}

function errorOf(result: ParseResult<unknown>): { code: string; path: string } | undefined {
  return result.ok ? undefined : { code: result.error.code, path: result.error.path };
}

describe('parseDocument / parseActivity', () => {
  it('accepts a JSON string as well as a parsed value', () => {
    expect(ok(parseActivity(JSON.stringify(follow())))).toMatchObject({ kind: 'activity', type: 'Follow' });
    expect(errorOf(parseActivity('{"type": '))).toEqual({ code: 'invalid_json', path: '' });
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['a number', 42],
  ])('refuses %s', (_what, value) => {
    expect(errorOf(parseDocument(value))).toEqual({ code: 'not_an_object', path: '' });
  });

  it.each([
    ['no type', { type: undefined }, { code: 'missing_field', path: 'type' }],
    ['no id', { id: undefined }, { code: 'missing_field', path: 'id' }],
    ['an id that is not a URL', { id: 'urn:uuid:1' }, { code: 'invalid_field', path: 'id' }],
    ['no actor', { actor: undefined }, { code: 'missing_field', path: 'actor' }],
    ['two actors', { actor: [ALICE, 'https://remote.example/users/bob'] }, { code: 'invalid_field', path: 'actor' }],
    ['an actor without id', { actor: { type: 'Person' } }, { code: 'invalid_field', path: 'actor' }],
    ['no object', { object: undefined }, { code: 'missing_field', path: 'object' }],
    ['two objects', { object: [NOTE_ID, ALICE] }, { code: 'invalid_field', path: 'object' }],
    ['an object that is a number', { object: 7 }, { code: 'invalid_field', path: 'object' }],
    ['a malformed @context', { '@context': 12 }, { code: 'invalid_field', path: '@context' }],
  ])('names the problem for an activity with %s', (_what, overrides, expected) => {
    expect(errorOf(parseActivity(follow(overrides)))).toEqual(expected);
  });

  it('names nested paths inside embedded objects', () => {
    const create = follow({ type: 'Create', object: { type: 'Note', id: 'not a url', attributedTo: ALICE } });
    expect(errorOf(parseActivity(create))).toEqual({ code: 'invalid_field', path: 'object.id' });
    const undo = follow({ type: 'Undo', object: follow({ actor: undefined }) });
    expect(errorOf(parseActivity(undo))).toEqual({ code: 'missing_field', path: 'object.actor' });
    const noId = follow({ type: 'Announce', object: { type: 'Video', name: 'x' } });
    expect(errorOf(parseActivity(noId))).toEqual({ code: 'missing_field', path: 'object.id' });
  });

  it('accepts single values or arrays, embedded objects or ids, Link objects, and compacted type IRIs', () => {
    const activity = ok(
      parseActivity(
        follow({
          type: ['as:Like', 'litepub:EmojiReact'],
          actor: [{ type: 'Person', id: ALICE }],
          object: { type: 'Link', href: NOTE_ID },
          to: AS_PUBLIC,
          cc: [{ id: `${ALICE}/followers` }, { type: 'Mention', href: 'https://peerfed.example/users/bob' }],
        }),
      ),
    );
    expect(activity).toMatchObject({
      kind: 'activity',
      type: 'Like',
      types: ['Like', 'litepub:EmojiReact'],
      actor: ALICE,
      object: { id: NOTE_ID },
      addressing: { to: [AS_PUBLIC], cc: [`${ALICE}/followers`, 'https://peerfed.example/users/bob'], bto: [], bcc: [], audience: [] },
    });
    expect(ok(parseActivity(follow({ type: 'https://www.w3.org/ns/activitystreams#Undo', object: follow() })))).toMatchObject({ type: 'Undo' });
  });

  it.each([
    ['a string', 'https://www.w3.org/ns/activitystreams'],
    ['an array with objects', ['https://www.w3.org/ns/activitystreams', { toot: 'http://joinmastodon.org/ns#' }, null]],
    ['an object', { '@vocab': 'https://www.w3.org/ns/activitystreams' }],
    ['absent', undefined],
  ])('accepts @context as %s', (_what, context) => {
    expect(parseActivity(follow({ '@context': context })).ok).toBe(true);
  });

  it('reports types we do not handle as unknown, not as errors', () => {
    const block = ok(parseActivity({ type: 'Block', id: 'https://remote.example/blocks/1', actor: ALICE, object: 'https://peerfed.example/users/x' }));
    expect(block).toEqual({ kind: 'unknown', id: 'https://remote.example/blocks/1', types: ['Block'], actor: ALICE, raw: expect.any(Object) });
    expect(ok(parseDocument({ type: 'Question', id: NOTE_ID }))).toMatchObject({ kind: 'unknown', types: ['Question'] });
  });

  it('refuses what is not an activity at an inbox', () => {
    expect(errorOf(parseActivity({ type: 'Note', id: NOTE_ID }))).toEqual({ code: 'unexpected_type', path: 'type' });
  });

  it('stops at an absurd nesting depth', () => {
    let nested: Record<string, unknown> = follow();
    for (let i = 0; i < 10; i++) nested = follow({ type: 'Undo', id: `https://remote.example/u/${i}`, object: nested });
    expect(errorOf(parseActivity(nested))?.code).toBe('too_deep');
  });

  it('keeps the raw input without copying it', () => {
    const input = follow();
    expect(ok(parseActivity(input)).raw).toBe(input);
  });
});

describe('parseObject', () => {
  it('normalises a Note and tolerates nulls where fields are optional', () => {
    const note = ok(
      parseObject({
        type: 'Note',
        id: NOTE_ID,
        attributedTo: [{ type: 'Person', id: ALICE }],
        content: '<p>hi</p>',
        contentMap: { en: '<p>hi</p>', de: 5 },
        source: { content: 'hi', mediaType: 'text/markdown' },
        inReplyTo: null,
        summary: null,
        sensitive: null,
        url: [{ type: 'Link', href: 'https://remote.example/@alice/1', mediaType: 'text/html' }],
        tag: [{ type: 'Hashtag', name: '#run', href: 'https://remote.example/tags/run' }, 'garbage'],
        attachment: { type: 'Document', mediaType: 'image/png', url: 'https://remote.example/a.png' },
        to: AS_PUBLIC,
      }),
    );
    expect(note).toMatchObject({
      kind: 'object',
      type: 'Note',
      attributedTo: [ALICE],
      content: '<p>hi</p>',
      contentMap: { en: '<p>hi</p>' },
      source: { content: 'hi', mediaType: 'text/markdown' },
      sensitive: false,
      url: 'https://remote.example/@alice/1',
      tags: [{ type: 'Hashtag', name: '#run', href: 'https://remote.example/tags/run' }],
      attachments: [{ type: 'Document', mediaType: 'image/png', href: 'https://remote.example/a.png' }],
    });
    expect(note).not.toHaveProperty('inReplyTo');
    expect(note).not.toHaveProperty('summary');
  });

  it('parses a Tombstone and refuses an activity', () => {
    expect(ok(parseObject({ type: 'Tombstone', id: NOTE_ID, formerType: 'Note' }))).toMatchObject({ kind: 'tombstone', formerType: 'Note' });
    expect(errorOf(parseObject(follow()))?.code).toBe('unexpected_type');
  });
});

describe('parseActor', () => {
  const person = {
    type: 'Person',
    id: ALICE,
    inbox: `${ALICE}/inbox`,
    outbox: `${ALICE}/outbox`,
    followers: 'not a url',
    preferredUsername: 'alice',
    endpoints: { sharedInbox: 'https://remote.example/inbox' },
    icon: [{ type: 'Image', url: 'https://remote.example/a.png' }],
    publicKey: [
      { id: `${ALICE}#main-key`, owner: ALICE, publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' },
      { id: `${ALICE}#broken` },
    ],
    additionalPublicKeys: [{ id: `${ALICE}#ed25519-key`, owner: ALICE, publicKeyPem: '-----BEGIN PUBLIC KEY-----\nBBBB\n-----END PUBLIC KEY-----\n' }],
    manuallyApprovesFollowers: true,
  };

  it('normalises keys, endpoints and collections, dropping malformed optional URLs', () => {
    const actor = ok(parseActor(person));
    expect(actor).toMatchObject({
      kind: 'actor',
      type: 'Person',
      inbox: `${ALICE}/inbox`,
      outbox: `${ALICE}/outbox`,
      sharedInbox: 'https://remote.example/inbox',
      iconUrl: 'https://remote.example/a.png',
      publicKey: { id: `${ALICE}#main-key`, owner: ALICE },
      additionalPublicKeys: [{ id: `${ALICE}#ed25519-key` }],
      manuallyApprovesFollowers: true,
    });
    expect(actor).not.toHaveProperty('followers');
  });

  it('needs an inbox, and refuses non-actors', () => {
    expect(errorOf(parseActor({ ...person, inbox: undefined }))).toEqual({ code: 'missing_field', path: 'inbox' });
    expect(errorOf(parseActor({ type: 'Note', id: NOTE_ID }))?.code).toBe('unexpected_type');
  });

  it('actorKeyFor only returns keys the actor owns', () => {
    const actor = ok(parseActor(person));
    expect(actorKeyFor(actor, `${ALICE}#ed25519-key`)?.id).toBe(`${ALICE}#ed25519-key`);
    expect(actorKeyFor(actor, `${ALICE}#unknown`)).toBeUndefined();
    const impostor = ok(parseActor({ ...person, publicKey: { ...person.publicKey[0], owner: 'https://remote.example/users/mallory' } }));
    expect(actorKeyFor(impostor, `${ALICE}#main-key`)).toBeUndefined();
    expect(keyIdDocumentUrl(`${ALICE}#main-key`)).toBe(ALICE);
  });
});

describe('parseCollection', () => {
  it('keeps good items, reduces invalid embedded items to their id, and parses an embedded first page', () => {
    const collection = ok(
      parseCollection({
        type: 'OrderedCollection',
        id: `${ALICE}/outbox`,
        totalItems: 3,
        first: { type: 'OrderedCollectionPage', id: `${ALICE}/outbox?page=1`, partOf: `${ALICE}/outbox`, orderedItems: [NOTE_ID] },
        orderedItems: [NOTE_ID, { type: 'Create', id: 'https://remote.example/activities/9' }, { type: 'Note' }, 'not a url'],
      }),
    );
    expect(collection).toMatchObject({ totalItems: 3, first: { id: `${ALICE}/outbox?page=1`, embedded: { kind: 'collection', partOf: `${ALICE}/outbox` } } });
    expect(collection.items).toEqual([{ id: NOTE_ID }, { id: 'https://remote.example/activities/9' }]);
  });

  it('ignores a nonsensical totalItems', () => {
    expect(ok(parseCollection({ type: 'Collection', id: `${ALICE}/followers`, totalItems: -1 }))).not.toHaveProperty('totalItems');
  });
});

describe('document kinds', () => {
  it.each<[string, Record<string, unknown>, ApDocument['kind']]>([
    ['Group', { type: 'Group', id: ALICE, inbox: `${ALICE}/inbox` }, 'actor'],
    ['Service', { type: 'Service', id: ALICE, inbox: `${ALICE}/inbox` }, 'actor'],
    ['Page', { type: 'Page', id: NOTE_ID }, 'object'],
    ['Article', { type: 'Article', id: NOTE_ID }, 'object'],
    ['OrderedCollectionPage', { type: 'OrderedCollectionPage', id: NOTE_ID }, 'collection'],
    ['Reject', follow({ type: 'Reject', object: follow() }), 'activity'],
    ['Dislike', follow({ type: 'Dislike', object: NOTE_ID }), 'activity'],
  ])('%s', (_type, document, kind) => {
    expect(ok(parseDocument(document)).kind).toBe(kind);
  });
});
