// Fediverse simulator: fake remote ActivityPub instances on loopback for tests and benchmarks.
export { startFediverse, Fediverse, FEDISIM_DEFAULTS } from './lib/fediverse.service';
export { FakeInstance, type InboxScope } from './lib/fake-instance.server';
export { SimActor } from './lib/sim-actor.util';
export { behaviours } from './lib/behaviour.util';
export { signRequest, type RequestToSign, type SigningKey, type SignatureSettings } from './lib/request-signer.util';
export { computeDigestHeaders, verifyBodyDigests } from './lib/digest.util';
export { generateRsaKeyPair } from './lib/lazy-key-pair.util';
export { SimHttpClient, type SimHttpRequest } from './lib/sim-http.client';
export { rfc9421Support, type Rfc9421Support } from './lib/message-signatures.util';
export * from './lib/fedisim.types';
