import { createPublicKey } from 'node:crypto';
import { type SimActor } from './sim-actor.util';

export type KeySource = 'trusted' | 'local' | 'fetched';

export interface ResolvedKey {
  readonly publicKeyPem: string;
  readonly source: KeySource;
}

/** Finds the key of one of the simulator's own actors (no HTTP needed). */
export type LocalKeyLookup = (keyId: string) => Promise<string | undefined>;
/** Fetches a key over loopback HTTP, signed as `fetchAs` (the receiving instance's actor). */
export type RemoteKeyFetch = (keyId: string, fetchAs: SimActor) => Promise<string>;

/**
 * Where the public key of a request comes from: keys registered with trust() (cheap, for tests
 * and benchmarks), then the simulator's own actors, then a fetch of the keyId URL, cached.
 * Concurrent fetches of one key share a single request; failures are not cached.
 */
export class KeyResolver {
  private readonly trusted = new Map<string, string>();
  private readonly fetched = new Map<string, Promise<string>>();
  private fetchCount = 0;

  constructor(
    private readonly local: LocalKeyLookup,
    private readonly fetchRemote: RemoteKeyFetch,
  ) {}

  /** Registers a public key for a keyId; throws when the PEM is not a public key. */
  trust(keyId: string, publicKeyPem: string): void {
    if (keyId.length === 0) throw new Error('trustKey: keyId must not be empty');
    try {
      createPublicKey(publicKeyPem);
    } catch (error) {
      throw new Error(`trustKey(${keyId}): not a usable public key PEM (${(error as Error).message})`);
    }
    this.trusted.set(keyId, publicKeyPem);
  }

  untrust(keyId: string): void {
    this.trusted.delete(keyId);
  }

  /** Drops cached fetched keys, so the next request fetches again. */
  forgetFetched(): void {
    this.fetched.clear();
  }

  /** Number of key fetches started (cache misses) since creation. */
  fetches(): number {
    return this.fetchCount;
  }

  /** `refresh` skips the fetch cache, as after a failed verification (key rotation). */
  async resolve(keyId: string, fetchAs: SimActor, refresh = false): Promise<ResolvedKey> {
    const trusted = this.trusted.get(keyId);
    if (trusted !== undefined) return { publicKeyPem: trusted, source: 'trusted' };
    const local = await this.local(keyId);
    if (local !== undefined) return { publicKeyPem: local, source: 'local' };
    let pending = refresh ? undefined : this.fetched.get(keyId);
    if (pending === undefined) {
      this.fetchCount += 1;
      pending = this.fetchRemote(keyId, fetchAs);
      this.fetched.set(keyId, pending);
      pending.catch(() => {
        if (this.fetched.get(keyId) === pending) this.fetched.delete(keyId);
      });
    }
    return { publicKeyPem: await pending, source: 'fetched' };
  }
}
