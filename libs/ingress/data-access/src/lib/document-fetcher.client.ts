import { type JsonObject } from '@peerfed/shared/activitypub';

/**
 * Fetches remote ActivityPub documents (actors, keys). The implementation signs each GET with
 * the instance actor's key, refuses forbidden addresses, and bounds time and size; it throws
 * RemoteFetchException. Abstract, so tests and the in-memory benchmark can swap it.
 */
export abstract class DocumentFetcher {
  abstract fetchDocument(url: string): Promise<JsonObject>;
}
