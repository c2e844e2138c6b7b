/** A JSON object as produced by `JSON.parse`. */
export interface JsonObject {
  [key: string]: unknown;
}

export const ACTIVITY_TYPES = [
  'Follow',
  'Accept',
  'Reject',
  'Undo',
  'Create',
  'Update',
  'Delete',
  'Like',
  'Dislike',
  'Announce',
] as const;
/** Activities the platform applies; every other activity type parses as `kind: 'unknown'`. */
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Person for users, Group for challenges (Lemmy-style); the rest sign requests too (bots, instance actors). */
export const ACTOR_TYPES = ['Person', 'Group', 'Service', 'Application', 'Organization'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Content objects: Note (Mastodon posts, Lemmy comments), Page (Lemmy posts), Article (WordPress, Friendica, NodeBB). */
export const OBJECT_TYPES = ['Note', 'Page', 'Article'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const COLLECTION_TYPES = ['Collection', 'OrderedCollection', 'CollectionPage', 'OrderedCollectionPage'] as const;
export type CollectionType = (typeof COLLECTION_TYPES)[number];

export type DocumentKind = 'activity' | 'actor' | 'object' | 'tombstone' | 'collection' | 'unknown';

/** A reference to another document: its id, and the parsed document when it was embedded. */
export interface ObjectRef {
  readonly id: string;
  readonly embedded?: ApDocument;
}

/** Addressing of an activity or object: ids only (objects and Link forms are reduced to ids). */
export interface Addressing {
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bto: readonly string[];
  readonly bcc: readonly string[];
  /** `audience` (Lemmy puts the community here). */
  readonly audience: readonly string[];
}

export interface PublicKey {
  readonly id: string;
  readonly owner: string;
  readonly publicKeyPem: string;
}

/** A tag or attachment reduced to what we use; the full value stays in `raw`. */
export interface LinkLike {
  readonly type: string;
  readonly href?: string;
  readonly name?: string;
  readonly mediaType?: string;
}

interface DocumentBase {
  readonly id: string;
  /** Every `type` the document declares, in order, with `as:` / full-IRI prefixes removed. */
  readonly types: readonly string[];
  /** The input object, not copied; store it when the original is needed. */
  readonly raw: JsonObject;
}

export interface ApActivity extends DocumentBase {
  readonly kind: 'activity';
  readonly type: ActivityType;
  readonly actor: string;
  readonly object: ObjectRef;
  readonly target?: ObjectRef;
  readonly addressing: Addressing;
  readonly published?: string;
  /** Lemmy sends a reason as `summary` on Delete/Flag and `content` on some votes. */
  readonly summary?: string;
}

export interface ApActor extends DocumentBase {
  readonly kind: 'actor';
  readonly type: ActorType;
  readonly inbox: string;
  readonly outbox?: string;
  readonly followers?: string;
  readonly following?: string;
  readonly sharedInbox?: string;
  readonly featured?: string;
  readonly preferredUsername?: string;
  readonly name?: string;
  readonly summary?: string;
  readonly url?: string;
  readonly iconUrl?: string;
  readonly publicKey?: PublicKey;
  /** Misskey's `additionalPublicKeys` and any further entries of a `publicKey` array. */
  readonly additionalPublicKeys: readonly PublicKey[];
  /**
   * Lemmy >= 0.19 puts a Group's moderators collection URL here; PeerTube the owning account.
   * For other actors usually empty.
   */
  readonly attributedTo: readonly string[];
  /** Older Lemmy versions name the moderators collection `moderators`. */
  readonly moderators?: string;
  readonly manuallyApprovesFollowers: boolean;
  /** Lemmy: only moderators may post in the community. */
  readonly postingRestrictedToMods: boolean;
  readonly published?: string;
  readonly updated?: string;
}

export interface ApObject extends DocumentBase {
  readonly kind: 'object';
  readonly type: ObjectType;
  readonly attributedTo: readonly string[];
  readonly name?: string;
  readonly summary?: string;
  /** HTML unless `mediaType` says otherwise. */
  readonly content?: string;
  readonly contentMap?: Readonly<Record<string, string>>;
  readonly mediaType?: string;
  /** The author's source text (Lemmy and Misskey send markdown here). */
  readonly source?: { readonly content: string; readonly mediaType?: string };
  readonly inReplyTo?: string;
  readonly url?: string;
  readonly published?: string;
  readonly updated?: string;
  readonly sensitive: boolean;
  readonly addressing: Addressing;
  readonly tags: readonly LinkLike[];
  readonly attachments: readonly LinkLike[];
}

export interface ApTombstone extends DocumentBase {
  readonly kind: 'tombstone';
  readonly type: 'Tombstone';
  readonly formerType?: string;
  readonly deleted?: string;
}

export interface ApCollection extends DocumentBase {
  readonly kind: 'collection';
  readonly type: CollectionType;
  readonly totalItems?: number;
  readonly first?: ObjectRef;
  readonly last?: ObjectRef;
  readonly next?: ObjectRef;
  readonly prev?: ObjectRef;
  readonly partOf?: string;
  /** `orderedItems` or `items`, whichever is present. */
  readonly items: readonly ObjectRef[];
}

/** A well-formed document of a type we do not handle (Block, Flag, Video, Event, ...): not an error. */
export interface ApUnknown {
  readonly kind: 'unknown';
  readonly id?: string;
  readonly types: readonly string[];
  /** The actor, when the document names exactly one (lets the caller compare it with the signer). */
  readonly actor?: string;
  readonly raw: JsonObject;
}

export type ApDocument = ApActivity | ApActor | ApObject | ApTombstone | ApCollection | ApUnknown;

export type ValidationErrorCode =
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_field'
  | 'invalid_field'
  | 'unexpected_type'
  | 'too_deep';

/** Why a document was rejected: `path` names the field (e.g. `object.id`). */
export interface ValidationError {
  readonly code: ValidationErrorCode;
  readonly path: string;
  readonly message: string;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ValidationError };
