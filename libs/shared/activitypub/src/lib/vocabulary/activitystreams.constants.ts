/** The ActivityStreams 2.0 JSON-LD context; also the `profile` of the JSON-LD media type. */
export const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';

/** The security vocabulary that defines `publicKey` / `publicKeyPem` (Mastodon, Lemmy, ...). */
export const SECURITY_CONTEXT = 'https://w3id.org/security/v1';

/** The special collection that addresses everyone ("public" posts). */
export const AS_PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

/** Spellings of {@link AS_PUBLIC} seen in the wild (compacted JSON-LD forms). */
export const AS_PUBLIC_ALIASES: readonly string[] = [AS_PUBLIC, 'as:Public', 'Public'];

/** The ActivityPub media type (ActivityPub §3.2). */
export const ACTIVITY_JSON = 'application/activity+json';

/** The JSON-LD media type with the ActivityStreams profile, equivalent to {@link ACTIVITY_JSON}. */
export const LD_JSON_ACTIVITYSTREAMS = `application/ld+json; profile="${AS_CONTEXT}"`;

/** `Accept` value for fetching ActivityPub documents from remote servers. */
export const ACTIVITYPUB_ACCEPT = `${ACTIVITY_JSON}, ${LD_JSON_ACTIVITYSTREAMS}`;
