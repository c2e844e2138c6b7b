import { Injectable } from '@nestjs/common';
import {
  actorKeyFor,
  isHttpUrl,
  keyIdDocumentUrl,
  parseActor,
  type ApActor,
  type ResolvedKey,
} from '@peerfed/shared/activitypub';
import { DocumentFetcher } from './document-fetcher.client';
import { RemoteActorRepository, type RemoteActorRecord } from './remote-actor.repository';
import { RemoteFetchException } from './remote-fetch.exception';
import { RedisJsonCache } from './redis-json.cache';

const ACTOR_TTL_SECONDS = 3600;
const KEY_TTL_SECONDS = 24 * 3600;
/** Hot keys are also kept in process memory this long, sparing a Redis round trip per request. */
const KEY_MEMORY_TTL_MS = 60_000;
const KEY_MEMORY_ENTRIES = 10_000;

interface CachedKey {
  readonly pem: string;
  readonly owner: string;
}

/**
 * Remote actors and their keys: Redis (actor 1 h, key 24 h), then Postgres, then a signed fetch.
 * Fetching only caches in Redis: the inbound workers store actors in Postgres when they apply an
 * accepted activity, so a rejected request writes no row. Redis errors are logged and skipped.
 */
@Injectable()
export class RemoteActorResolver {
  private readonly recentKeys = new Map<string, CachedKey & { readonly until: number }>();

  constructor(
    private readonly fetcher: DocumentFetcher,
    private readonly actors: RemoteActorRepository,
    private readonly cache: RedisJsonCache,
  ) {}

  /**
   * The HttpSignatureVerifier's KeyResolver: null when the key does not exist (or its owner does
   * not claim it); throws RemoteFetchException when it could not be fetched. A key used within
   * the last minute is returned synchronously: no promise on the hot path.
   */
  resolveKey(keyId: string, options: { readonly refresh: boolean }): ResolvedKey | Promise<ResolvedKey | null> {
    if (!options.refresh) {
      const recent = this.recentKeys.get(keyId);
      if (recent && recent.until > Date.now()) return { key: recent.pem, owner: recent.owner, fromCache: true };
    }
    return this.lookUpKey(keyId, options);
  }

  /** Redis, then Postgres (both skipped on refresh), then a signed fetch. */
  private async lookUpKey(keyId: string, options: { readonly refresh: boolean }): Promise<ResolvedKey | null> {
    if (!options.refresh) {
      const cached = await this.cache.get<CachedKey>(keyCacheKey(keyId));
      if (cached) {
        this.remember(keyId, cached);
        return { key: cached.pem, owner: cached.owner, fromCache: true };
      }
      const stored = await this.actors.findByKeyId(keyId);
      if (stored && isFresh(stored.fetchedAt, KEY_TTL_SECONDS)) {
        await this.cache.set(keyCacheKey(keyId), { pem: stored.publicKeyPem, owner: stored.actorId }, KEY_TTL_SECONDS);
        return { key: stored.publicKeyPem, owner: stored.actorId, fromCache: true };
      }
    }
    let actor: RemoteActorRecord;
    try {
      actor = await this.fetchKeyOwner(keyId);
    } catch (error) {
      if (error instanceof RemoteFetchException && error.final) return null;
      throw error;
    }
    if (actor.keyId !== keyId) return null;
    this.remember(keyId, { pem: actor.publicKeyPem, owner: actor.actorId });
    return { key: actor.publicKeyPem, owner: actor.actorId, fromCache: false };
  }

  /** The actor (from cache, store or a fetch); `refresh` fetches it anew (key rotation). */
  async actor(actorId: string, options: { readonly refresh?: boolean } = {}): Promise<RemoteActorRecord> {
    if (options.refresh !== true) {
      const cached = await this.cache.get<RemoteActorRecord>(actorCacheKey(actorId));
      if (cached) return { ...cached, fetchedAt: new Date(cached.fetchedAt) };
      const stored = await this.actors.find(actorId);
      if (stored && !stored.gone && isFresh(stored.fetchedAt, ACTOR_TTL_SECONDS)) return stored;
    }
    return this.fetchActor(actorId);
  }

  /** Forgets cached copies (after a Delete of the actor, or before re-reading a rotated key). */
  async forget(actor: Pick<RemoteActorRecord, 'actorId' | 'keyId'>): Promise<void> {
    this.recentKeys.delete(actor.keyId);
    await this.cache.delete(actorCacheKey(actor.actorId), keyCacheKey(actor.keyId));
  }

  private remember(keyId: string, key: CachedKey): void {
    this.recentKeys.delete(keyId);
    if (this.recentKeys.size >= KEY_MEMORY_ENTRIES) {
      const oldest = this.recentKeys.keys().next();
      if (oldest.done !== true) this.recentKeys.delete(oldest.value);
    }
    this.recentKeys.set(keyId, { ...key, until: Date.now() + KEY_MEMORY_TTL_MS });
  }

  private async fetchKeyOwner(keyId: string): Promise<RemoteActorRecord> {
    const documentUrl = keyIdDocumentUrl(keyId);
    const document = await this.fetcher.fetchDocument(documentUrl);
    // Some servers serve the key as its own document naming its owner: fetch the owner then.
    if (typeof document['publicKeyPem'] === 'string' && isHttpUrl(document['owner']) && document['owner'] !== documentUrl) {
      return this.fetchActor(document['owner']);
    }
    return this.store(documentUrl, this.toActor(documentUrl, document, keyId));
  }

  private async fetchActor(actorId: string): Promise<RemoteActorRecord> {
    const document = await this.fetcher.fetchDocument(actorId);
    return this.store(actorId, this.toActor(actorId, document));
  }

  private toActor(url: string, document: unknown, keyId?: string): ApActor {
    const parsed = parseActor(document);
    if (!parsed.ok) throw new RemoteFetchException('invalid_document', url, parsed.error.message);
    const actor = parsed.value;
    if (actor.id !== url) throw new RemoteFetchException('invalid_document', url, `the document's id is ${actor.id}`);
    if (keyId !== undefined && !actorKeyFor(actor, keyId)) throw new RemoteFetchException('not_found', url, `the actor does not own key ${keyId}`);
    if (!actor.publicKey) throw new RemoteFetchException('invalid_document', url, 'the actor has no publicKey');
    return actor;
  }

  private async store(url: string, actor: ApActor): Promise<RemoteActorRecord> {
    const key = actorKeyFor(actor, actor.publicKey?.id ?? '') ?? actor.publicKey;
    if (!key) throw new RemoteFetchException('invalid_document', url, 'the actor has no usable key');
    const record: RemoteActorRecord = {
      actorId: actor.id,
      domain: new URL(actor.id).host.toLowerCase(),
      type: actor.type,
      inbox: actor.inbox,
      sharedInbox: actor.sharedInbox ?? null,
      keyId: key.id,
      publicKeyPem: key.publicKeyPem,
      fetchedAt: new Date(),
    };
    await this.cache.set(actorCacheKey(actor.id), record, ACTOR_TTL_SECONDS);
    await this.cache.set(keyCacheKey(key.id), { pem: key.publicKeyPem, owner: actor.id }, KEY_TTL_SECONDS);
    return record;
  }
}

function actorCacheKey(actorId: string): string {
  return `ingress:actor:${actorId}`;
}

function keyCacheKey(keyId: string): string {
  return `ingress:key:${keyId}`;
}

function isFresh(fetchedAt: Date, ttlSeconds: number): boolean {
  return Date.now() - fetchedAt.getTime() < ttlSeconds * 1000;
}
