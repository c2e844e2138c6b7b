import { type SimActor } from './sim-actor.util';
import { type SimHttpClient } from './sim-http.client';
import { signRequest } from './request-signer.util';

const ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The PEM of `keyId` in a fetched document: an actor whose publicKey (one or a list) has that
 * id, or a Key document itself. A document that names another key is refused.
 */
export function extractPublicKeyPem(document: unknown, keyId: string): string {
  if (!isRecord(document)) throw new Error('key document is not a JSON object');
  const candidates: unknown[] = 'publicKeyPem' in document ? [document] : [document.publicKey].flat();
  const key = candidates.find((candidate) => isRecord(candidate) && candidate.id === keyId);
  if (!isRecord(key)) throw new Error(`document ${String(document.id)} has no key ${keyId}`);
  if (typeof key.publicKeyPem !== 'string') throw new Error(`key ${keyId} has no publicKeyPem`);
  return key.publicKeyPem;
}

/** GETs the keyId URL (loopback only, signed as `fetchAs` when given) and extracts the key. */
export async function fetchPublicKey(client: SimHttpClient, keyId: string, fetchAs: SimActor | undefined, timeoutMs: number): Promise<string> {
  let url: URL;
  try {
    url = new URL(keyId);
  } catch {
    throw new Error(`keyId ${keyId} is not a URL and was not registered with trustKey()`);
  }
  url.hash = '';
  const headers = fetchAs
    ? await signRequest({ method: 'GET', url, headers: { accept: ACCEPT } }, { keyId: fetchAs.keyId, privateKeyPem: (await fetchAs.keyPair()).privateKeyPem })
    : { accept: ACCEPT };
  const response = await client.request({ method: 'GET', url, headers, timeoutMs });
  if (response.status !== 200) throw new Error(`GET ${url.href} answered ${response.status}`);
  let document: unknown;
  try {
    document = JSON.parse(response.body);
  } catch {
    throw new Error(`GET ${url.href} did not return JSON`);
  }
  return extractPublicKeyPem(document, keyId);
}
