import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { type DataSource, type EntityManager } from 'typeorm';
import { ACTOR_KEYS_TABLE } from './actor-keys-table.util';
import { type KeyEncryption } from './key-encryption.util';

const generateRsaKeyPair = promisify(generateKeyPair);

export interface ActorPublicKey {
  actorId: string;
  keyId: string;
  publicKeyPem: string;
}

export interface ActorSigningKey {
  keyId: string;
  privateKey: KeyObject;
}

interface KeyRow {
  actor_id: string;
  key_id: string;
  public_key_pem: string;
  private_key_sealed: string;
}

/**
 * One RSA-2048 key pair per local actor, the private half sealed with KeyEncryption. Parsed
 * signing keys are kept in memory (parsing a PEM costs ~0.3 ms), never in Redis.
 */
export class ActorKeyStore {
  private readonly signingKeys = new Map<string, ActorSigningKey>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly encryption: KeyEncryption,
    private readonly maxCachedKeys = 10_000,
  ) {}

  /** Creates the actor's key pair unless it has one; returns its public key either way. */
  async ensureKeyPair(actorId: string, keyId: string, manager: EntityManager = this.dataSource.manager): Promise<ActorPublicKey> {
    const existing = await this.publicKeyOf(actorId, manager);
    if (existing) return existing;
    const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    await manager.query(
      `INSERT INTO ${ACTOR_KEYS_TABLE} (actor_id, key_id, public_key_pem, private_key_sealed)
       VALUES ($1, $2, $3, $4) ON CONFLICT (actor_id) DO NOTHING`,
      [actorId, keyId, publicKey, this.encryption.encrypt(privateKey, actorId)],
    );
    // A concurrent creator may have won the race: the stored row is the truth.
    const stored = await this.publicKeyOf(actorId, manager);
    if (!stored) throw new Error(`key pair for ${actorId} was not stored`);
    return stored;
  }

  async publicKeyOf(actorId: string, manager: EntityManager = this.dataSource.manager): Promise<ActorPublicKey | undefined> {
    const rows: Pick<KeyRow, 'actor_id' | 'key_id' | 'public_key_pem'>[] = await manager.query(
      `SELECT actor_id, key_id, public_key_pem FROM ${ACTOR_KEYS_TABLE} WHERE actor_id = $1`,
      [actorId],
    );
    const row = rows[0];
    return row && { actorId: row.actor_id, keyId: row.key_id, publicKeyPem: row.public_key_pem };
  }

  /** The decrypted signing key, or undefined when the actor has none. */
  async signingKeyOf(actorId: string): Promise<ActorSigningKey | undefined> {
    const cached = this.signingKeys.get(actorId);
    if (cached) return cached;
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT actor_id, key_id, public_key_pem, private_key_sealed FROM ${ACTOR_KEYS_TABLE} WHERE actor_id = $1`,
      [actorId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const key = { keyId: row.key_id, privateKey: createPrivateKey(this.encryption.decrypt(row.private_key_sealed, actorId)) };
    if (this.signingKeys.size >= this.maxCachedKeys) {
      const oldest = this.signingKeys.keys().next().value;
      if (oldest !== undefined) this.signingKeys.delete(oldest);
    }
    this.signingKeys.set(actorId, key);
    return key;
  }

  /** Parsed public key, for callers that verify their own signatures in tests and tools. */
  static parsePublicKey(key: ActorPublicKey): KeyObject {
    return createPublicKey(key.publicKeyPem);
  }
}
