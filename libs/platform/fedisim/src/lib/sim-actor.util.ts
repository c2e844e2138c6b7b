import { type KeyPairPem } from './fedisim.types';
import { type LazyKeyPair } from './lazy-key-pair.util';

const CONTEXT = ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'];

export type SimActorType = 'Person' | 'Application';

/** An actor of a fake instance: its URLs, and a key pair made on first use. */
export class SimActor {
  readonly id: string;
  readonly inbox: string;
  readonly outbox: string;
  readonly followers: string;
  readonly following: string;
  readonly keyId: string;
  /** `username@host`, the WebFinger account. */
  readonly acct: string;

  constructor(
    readonly username: string,
    readonly type: SimActorType,
    readonly baseUrl: string,
    private readonly keys: LazyKeyPair,
    /** Shared inbox URL, when the instance advertises one. */
    readonly sharedInbox: string | undefined,
  ) {
    this.id = type === 'Application' ? `${baseUrl}/actor` : `${baseUrl}/users/${username}`;
    this.inbox = `${this.id}/inbox`;
    this.outbox = `${this.id}/outbox`;
    this.followers = `${this.id}/followers`;
    this.following = `${this.id}/following`;
    this.keyId = `${this.id}#main-key`;
    this.acct = `${username}@${new URL(baseUrl).host}`;
  }

  /** The actor's RSA-2048 key pair (generated on the first call). */
  keyPair(): Promise<KeyPairPem> {
    return this.keys.get();
  }

  /** The actor document (Person or Application) with its public key, as served to fetchers. */
  async document(): Promise<Record<string, unknown>> {
    const { publicKeyPem } = await this.keyPair();
    return {
      '@context': CONTEXT,
      id: this.id,
      type: this.type,
      preferredUsername: this.username,
      name: this.username,
      url: this.id,
      inbox: this.inbox,
      outbox: this.outbox,
      followers: this.followers,
      following: this.following,
      manuallyApprovesFollowers: false,
      discoverable: true,
      ...(this.sharedInbox === undefined ? {} : { endpoints: { sharedInbox: this.sharedInbox } }),
      publicKey: { id: this.keyId, owner: this.id, publicKeyPem },
    };
  }
}
