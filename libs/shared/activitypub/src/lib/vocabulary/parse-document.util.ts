import {
  ACTIVITY_TYPES,
  ACTOR_TYPES,
  COLLECTION_TYPES,
  OBJECT_TYPES,
  type ActivityType,
  type ActorType,
  type ApActivity,
  type ApActor,
  type ApCollection,
  type ApDocument,
  type ApObject,
  type ApTombstone,
  type ApUnknown,
  type CollectionType,
  type JsonObject,
  type ObjectRef,
  type ObjectType,
  type ParseResult,
  type PublicKey,
  type ValidationError,
  type ValidationErrorCode,
} from './activitypub.types';
import { addressingOf, linksOf, optionalStrings, optionalUrl, stringMap, withoutUndefined } from './document-fields.util';
import { asArray, idOf, idsOf, isHttpUrl, isJsonObject, stringOf, typesOf } from './json-ld-values.util';

/** Embedded documents nest at most this deep (Announce > Create > Note is 3). */
const MAX_DEPTH = 6;

/** Internal: unwinds to the public boundary, which turns it into a `ValidationError`. */
class DocumentInvalid extends Error {
  constructor(
    readonly code: ValidationErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const activityTypes: ReadonlySet<string> = new Set(ACTIVITY_TYPES);
const actorTypes: ReadonlySet<string> = new Set(ACTOR_TYPES);
const objectTypes: ReadonlySet<string> = new Set(OBJECT_TYPES);
const collectionTypes: ReadonlySet<string> = new Set(COLLECTION_TYPES);

/**
 * Parses any ActivityPub document into its typed, normalised form. Accepts a parsed JSON value or
 * a JSON string. Documents of types we do not handle come back as `kind: 'unknown'`, not errors.
 */
export function parseDocument(input: unknown): ParseResult<ApDocument> {
  return guarded(() => parseAt(toJson(input), '', 0));
}

/**
 * Parses an activity as received at an inbox. Handled types need `id`, `type`, a single `actor`
 * and a single `object`; other activity types come back as `kind: 'unknown'`. Actors, objects
 * and collections are rejected (`unexpected_type`): an inbox receives activities only.
 */
export function parseActivity(input: unknown): ParseResult<ApActivity | ApUnknown> {
  return guarded(() => {
    const doc = parseAt(toJson(input), '', 0);
    if (doc.kind !== 'activity' && doc.kind !== 'unknown') throw unexpected(doc, 'an activity');
    return doc;
  });
}

/** Parses an actor document (Person, Group, Service, Application, Organization). */
export function parseActor(input: unknown): ParseResult<ApActor> {
  return guarded(() => {
    const doc = parseAt(toJson(input), '', 0);
    if (doc.kind !== 'actor') throw unexpected(doc, 'an actor');
    return doc;
  });
}

/** Parses a fetched object: Note/Page/Article, a Tombstone, or an object type we do not handle. */
export function parseObject(input: unknown): ParseResult<ApObject | ApTombstone | ApUnknown> {
  return guarded(() => {
    const doc = parseAt(toJson(input), '', 0);
    if (doc.kind !== 'object' && doc.kind !== 'tombstone' && doc.kind !== 'unknown') throw unexpected(doc, 'an object');
    return doc;
  });
}

/** Parses a (possibly ordered) collection or collection page, e.g. an outbox or followers page. */
export function parseCollection(input: unknown): ParseResult<ApCollection> {
  return guarded(() => {
    const doc = parseAt(toJson(input), '', 0);
    if (doc.kind !== 'collection') throw unexpected(doc, 'a collection');
    return doc;
  });
}

function guarded<T>(parse: () => T): ParseResult<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (error instanceof DocumentInvalid) {
      const failure: ValidationError = { code: error.code, path: error.path, message: error.message };
      return { ok: false, error: failure };
    }
    throw error;
  }
}

function toJson(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch (error) {
    throw new DocumentInvalid('invalid_json', '', `not valid JSON: ${(error as Error).message}`);
  }
}

function unexpected(doc: ApDocument, wanted: string): DocumentInvalid {
  return new DocumentInvalid('unexpected_type', 'type', `expected ${wanted}, got ${doc.types.join(', ') || doc.kind}`);
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

function parseAt(value: unknown, path: string, depth: number): ApDocument {
  if (depth > MAX_DEPTH) throw new DocumentInvalid('too_deep', path, `documents nested deeper than ${MAX_DEPTH} levels`);
  if (!isJsonObject(value)) throw new DocumentInvalid('not_an_object', path, 'expected a JSON object');
  checkContext(value, path);
  const types = typesOf(value['type']);
  if (types.length === 0) throw new DocumentInvalid('missing_field', join(path, 'type'), 'type is missing');

  // The first type we handle wins: `["Note", "ChatMessage"]` is a Note.
  for (const type of types) {
    if (activityTypes.has(type)) return parseActivityDoc(value, type as ActivityType, types, path, depth);
    if (actorTypes.has(type)) return parseActorDoc(value, type as ActorType, types, path);
    if (objectTypes.has(type)) return parseObjectDoc(value, type as ObjectType, types, path);
    if (type === 'Tombstone') return parseTombstone(value, types, path);
    if (collectionTypes.has(type)) return parseCollectionDoc(value, type as CollectionType, types, path, depth);
  }
  return unknownDoc(value, types);
}

/** `@context` may be a string, an object or an array of those (null entries tolerated). */
function checkContext(value: JsonObject, path: string): void {
  const context = value['@context'];
  if (context === undefined || context === null) return;
  const ok = asArray(context).every((entry) => entry === null || typeof entry === 'string' || isJsonObject(entry));
  if (!ok) throw new DocumentInvalid('invalid_field', join(path, '@context'), '@context must be a string, an object or an array of those');
}

function requiredUrl(value: JsonObject, field: string, path: string): string {
  const raw = value[field];
  if (raw === undefined || raw === null) throw new DocumentInvalid('missing_field', join(path, field), `${field} is missing`);
  const id = idOf(raw);
  if (!isHttpUrl(id)) throw new DocumentInvalid('invalid_field', join(path, field), `${field} must be an absolute http(s) URL`);
  return id;
}

/** The single actor of a document, or an error naming why there is not exactly one. */
function singleActor(value: JsonObject, path: string): string {
  const raw = value['actor'];
  if (raw === undefined || raw === null) throw new DocumentInvalid('missing_field', join(path, 'actor'), 'actor is missing');
  const actors = idsOf(raw);
  if (actors.length === 0) throw new DocumentInvalid('invalid_field', join(path, 'actor'), 'actor has no id');
  if (new Set(actors).size > 1) throw new DocumentInvalid('invalid_field', join(path, 'actor'), 'exactly one actor is supported');
  const actor = actors[0] as string;
  if (!isHttpUrl(actor)) throw new DocumentInvalid('invalid_field', join(path, 'actor'), 'actor must be an absolute http(s) URL');
  return actor;
}

function parseActivityDoc(value: JsonObject, type: ActivityType, types: string[], path: string, depth: number): ApActivity {
  const id = requiredUrl(value, 'id', path);
  const actor = singleActor(value, path);
  const rawObject = value['object'];
  if (rawObject === undefined || rawObject === null) {
    throw new DocumentInvalid('missing_field', join(path, 'object'), `${type} needs an object`);
  }
  const objects = asArray(rawObject);
  if (objects.length !== 1) throw new DocumentInvalid('invalid_field', join(path, 'object'), `${type} needs exactly one object`);
  const object = parseRef(objects[0], join(path, 'object'), depth);
  const targetId = optionalUrl(value['target']);
  return {
    kind: 'activity',
    type,
    types,
    id,
    actor,
    object,
    ...(targetId !== undefined && { target: { id: targetId } }),
    addressing: addressingOf(value),
    ...optionalStrings(value, ['published', 'summary'] as const),
    raw: value,
  };
}

/** A reference: an id string, a Link (`href`), or an embedded document parsed in place. */
function parseRef(value: unknown, path: string, depth: number): ObjectRef {
  if (typeof value === 'string') {
    if (!isHttpUrl(value)) throw new DocumentInvalid('invalid_field', path, 'must be an absolute http(s) URL');
    return { id: value };
  }
  if (!isJsonObject(value)) throw new DocumentInvalid('invalid_field', path, 'must be an id or an embedded object');
  if (value['id'] === undefined && typeof value['href'] === 'string') {
    if (!isHttpUrl(value['href'])) throw new DocumentInvalid('invalid_field', join(path, 'href'), 'must be an absolute http(s) URL');
    return { id: value['href'] };
  }
  const embedded = parseAt(value, path, depth + 1);
  if (embedded.id === undefined) throw new DocumentInvalid('missing_field', join(path, 'id'), 'embedded object has no id');
  if (!isHttpUrl(embedded.id)) throw new DocumentInvalid('invalid_field', join(path, 'id'), 'id must be an absolute http(s) URL');
  return { id: embedded.id, embedded };
}

function parsePublicKey(value: unknown): PublicKey | undefined {
  if (!isJsonObject(value)) return undefined;
  const id = stringOf(value['id']);
  const owner = stringOf(idOf(value['owner']));
  const publicKeyPem = stringOf(value['publicKeyPem']);
  if (id === undefined || owner === undefined || publicKeyPem === undefined) return undefined;
  if (!publicKeyPem.includes('-----BEGIN')) return undefined;
  return { id, owner, publicKeyPem };
}

function parseActorDoc(value: JsonObject, type: ActorType, types: string[], path: string): ApActor {
  const id = requiredUrl(value, 'id', path);
  const inbox = requiredUrl(value, 'inbox', path);
  // Some servers send `publicKey` as an array; the first usable key is the main key.
  const keys = asArray(value['publicKey']).map(parsePublicKey).filter((key): key is PublicKey => key !== undefined);
  const extraKeys = asArray(value['additionalPublicKeys']).map(parsePublicKey).filter((key): key is PublicKey => key !== undefined);
  const endpoints = value['endpoints'];
  const icon = asArray(value['icon'])[0];
  const urls = {
    outbox: optionalUrl(value['outbox']),
    followers: optionalUrl(value['followers']),
    following: optionalUrl(value['following']),
    featured: optionalUrl(value['featured']),
    sharedInbox: isJsonObject(endpoints) ? optionalUrl(endpoints['sharedInbox']) : undefined,
    url: optionalUrl(value['url']),
    iconUrl: isJsonObject(icon) ? optionalUrl(icon['url']) : optionalUrl(icon),
    moderators: optionalUrl(value['moderators']),
  };
  return {
    kind: 'actor',
    type,
    types,
    id,
    inbox,
    ...withoutUndefined(urls),
    ...optionalStrings(value, ['preferredUsername', 'name', 'summary', 'published', 'updated'] as const),
    ...(keys[0] !== undefined && { publicKey: keys[0] }),
    additionalPublicKeys: [...keys.slice(1), ...extraKeys],
    attributedTo: idsOf(value['attributedTo']),
    manuallyApprovesFollowers: value['manuallyApprovesFollowers'] === true,
    postingRestrictedToMods: value['postingRestrictedToMods'] === true,
    raw: value,
  };
}

function parseObjectDoc(value: JsonObject, type: ObjectType, types: string[], path: string): ApObject {
  const id = requiredUrl(value, 'id', path);
  const source = value['source'];
  const sourceContent = isJsonObject(source) ? stringOf(source['content']) : stringOf(source);
  const sourceMediaType = isJsonObject(source) ? stringOf(source['mediaType']) : undefined;
  const contentMap = stringMap(value['contentMap']);
  const inReplyTo = idOf(value['inReplyTo']);
  const url = optionalUrl(value['url']);
  return {
    kind: 'object',
    type,
    types,
    id,
    attributedTo: idsOf(value['attributedTo']),
    ...optionalStrings(value, ['name', 'summary', 'content', 'mediaType', 'published', 'updated'] as const),
    ...(contentMap !== undefined && { contentMap }),
    ...(sourceContent !== undefined && {
      source: { content: sourceContent, ...(sourceMediaType !== undefined && { mediaType: sourceMediaType }) },
    }),
    ...(inReplyTo !== undefined && { inReplyTo }),
    ...(url !== undefined && { url }),
    sensitive: value['sensitive'] === true,
    addressing: addressingOf(value),
    tags: linksOf(value['tag']),
    attachments: linksOf(value['attachment']),
    raw: value,
  };
}

function parseTombstone(value: JsonObject, types: string[], path: string): ApTombstone {
  const id = requiredUrl(value, 'id', path);
  const formerType = typesOf(value['formerType'])[0];
  const deleted = stringOf(value['deleted']);
  return {
    kind: 'tombstone',
    type: 'Tombstone',
    types,
    id,
    ...(formerType !== undefined && { formerType }),
    ...(deleted !== undefined && { deleted }),
    raw: value,
  };
}

function parseCollectionDoc(value: JsonObject, type: CollectionType, types: string[], path: string, depth: number): ApCollection {
  const id = requiredUrl(value, 'id', path);
  const total = value['totalItems'];
  const rawItems = value['orderedItems'] ?? value['items'];
  const links: Partial<Record<'first' | 'last' | 'next' | 'prev', ObjectRef>> = {};
  for (const field of ['first', 'last', 'next', 'prev'] as const) {
    const ref = optionalRef(value[field], join(path, field), depth);
    if (ref !== undefined) links[field] = ref;
  }
  const partOf = optionalUrl(value['partOf']);
  return {
    kind: 'collection',
    type,
    types,
    id,
    ...(typeof total === 'number' && Number.isInteger(total) && total >= 0 && { totalItems: total }),
    ...links,
    ...(partOf !== undefined && { partOf }),
    items: asArray(rawItems)
      .map((item, index) => optionalRef(item, join(path, `items[${index}]`), depth))
      .filter((item): item is ObjectRef => item !== undefined),
    raw: value,
  };
}

/**
 * A reference inside a collection: pages and items that fail validation are reduced to their id
 * (or dropped without one), so that one bad outbox entry does not hide the whole collection.
 */
function optionalRef(value: unknown, path: string, depth: number): ObjectRef | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return parseRef(value, path, depth);
  } catch (error) {
    if (!(error instanceof DocumentInvalid) || error.code === 'too_deep') throw error;
    const id = optionalUrl(value);
    return id === undefined ? undefined : { id };
  }
}

function unknownDoc(value: JsonObject, types: string[]): ApUnknown {
  const id = stringOf(value['id']);
  const actors = value['actor'] === undefined ? [] : idsOf(value['actor']);
  const actor = actors.length === 1 && isHttpUrl(actors[0]) ? actors[0] : undefined;
  return {
    kind: 'unknown',
    types,
    ...(id !== undefined && { id }),
    ...(actor !== undefined && { actor }),
    raw: value,
  };
}
