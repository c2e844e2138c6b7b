// Vocabulary: constants, media types, typed parsing of real-world documents, priorities.
export {
  ACTIVITYPUB_ACCEPT,
  ACTIVITY_JSON,
  AS_CONTEXT,
  AS_PUBLIC,
  AS_PUBLIC_ALIASES,
  LD_JSON_ACTIVITYSTREAMS,
  SECURITY_CONTEXT,
} from './lib/vocabulary/activitystreams.constants';
export { acceptsActivityPub, isActivityPubMediaType, type MediaTypeOptions } from './lib/vocabulary/media-type.util';
export { sameOrigin } from './lib/vocabulary/same-origin.util';
export {
  ACTIVITY_TYPES,
  ACTOR_TYPES,
  COLLECTION_TYPES,
  OBJECT_TYPES,
  type ActivityType,
  type ActorType,
  type Addressing,
  type ApActivity,
  type ApActor,
  type ApCollection,
  type ApDocument,
  type ApObject,
  type ApTombstone,
  type ApUnknown,
  type CollectionType,
  type DocumentKind,
  type JsonObject,
  type LinkLike,
  type ObjectRef,
  type ObjectType,
  type ParseResult,
  type PublicKey,
  type ValidationError,
  type ValidationErrorCode,
} from './lib/vocabulary/activitypub.types';
export {
  asArray,
  idOf,
  idsOf,
  isHttpUrl,
  isJsonObject,
  isPublicAddress,
  normaliseType,
  typesOf,
} from './lib/vocabulary/json-ld-values.util';
export { parseActivity, parseActor, parseCollection, parseDocument, parseObject } from './lib/vocabulary/parse-document.util';
export { actorKeyFor, keyIdDocumentUrl } from './lib/vocabulary/actor-key.util';
export { ACTIVITY_PRIORITIES, activityPriority } from './lib/vocabulary/activity-priority.util';

// HTTP signatures: draft-cavage-12 and RFC 9421, Digest / Content-Digest, keys.
export {
  SIGNATURE_ALGORITHMS,
  VERIFICATION_FAILURES,
  type HeaderMap,
  type HeaderValue,
  type KeyResolver,
  type RequestBody,
  type ResolvedKey,
  type SignatureAlgorithm,
  type SignatureRequest,
  type SignatureScheme,
  type VerificationFailure,
  type VerificationFailureReason,
  type VerificationResult,
  type VerificationSuccess,
} from './lib/signatures/http-signature.types';
export {
  HttpSignatureVerifier,
  type HttpSignatureVerifierOptions,
  type PreparedSignature,
  type VerifyOptions,
} from './lib/signatures/http-signature-verifier.service';
export { signRequest, type SignRequestOptions, type SignedHeaders } from './lib/signatures/sign-request.util';
export { contentDigestHeader, digestHeader, verifyBodyDigests, type DigestAlgorithm, type DigestCheck } from './lib/signatures/digest.util';
export { KeyObjectCache } from './lib/signatures/key-object-cache.util';
export { InvalidKeyException } from './lib/signatures/invalid-key.exception';
export {
  generateEd25519KeyPair,
  generateRsaKeyPair,
  parsePrivateKeyPem,
  parsePublicKeyPem,
  publicKeyFingerprint,
  type PemKeyPair,
} from './lib/signatures/keys.util';
