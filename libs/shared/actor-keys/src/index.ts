export { KeyEncryption } from './lib/key-encryption.util';
export { ActorKeyStore, type ActorPublicKey, type ActorSigningKey } from './lib/actor-key.store';
export { ACTOR_KEYS_TABLE, createActorKeysTable, dropActorKeysTable } from './lib/actor-keys-table.util';
