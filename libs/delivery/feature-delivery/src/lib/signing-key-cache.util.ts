import { type ActorSigningKey } from '@peerfed/shared/actor-keys';

/**
 * Single-flight in front of ActorKeyStore.signingKeyOf: when a fan-out wakes hundreds of workers
 * for one sender at once, the key is read and decrypted once, not once per worker. The store
 * itself keeps the parsed key in memory afterwards.
 */
export class SigningKeyCache {
  private readonly loading = new Map<string, Promise<ActorSigningKey | undefined>>();

  constructor(private readonly store: { signingKeyOf(actorId: string): Promise<ActorSigningKey | undefined> }) {}

  signingKeyOf(actorId: string): Promise<ActorSigningKey | undefined> {
    let pending = this.loading.get(actorId);
    if (!pending) {
      pending = this.store.signingKeyOf(actorId).finally(() => this.loading.delete(actorId));
      this.loading.set(actorId, pending);
    }
    return pending;
  }
}
