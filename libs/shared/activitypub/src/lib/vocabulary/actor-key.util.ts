import { type ApActor, type PublicKey } from './activitypub.types';

/**
 * The actor's key with the given id, only when the actor owns it (`owner` equals the actor id).
 * A key document that names another owner must not authenticate this actor: the caller then
 * fetches the owner and checks again.
 */
export function actorKeyFor(actor: ApActor, keyId: string): PublicKey | undefined {
  const keys = actor.publicKey === undefined ? actor.additionalPublicKeys : [actor.publicKey, ...actor.additionalPublicKeys];
  return keys.find((key) => key.id === keyId && key.owner === actor.id);
}

/** Strips the fragment: `https://a.example/users/x#main-key` -> `https://a.example/users/x`. */
export function keyIdDocumentUrl(keyId: string): string {
  const hash = keyId.indexOf('#');
  return hash === -1 ? keyId : keyId.slice(0, hash);
}
