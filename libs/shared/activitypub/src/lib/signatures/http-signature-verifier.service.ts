import { type KeyObject } from 'node:crypto';
import { cavageSigningString, parseCavageSignatureHeader } from './cavage-signature.util';
import { verifyBodyDigests } from './digest.util';
import { combinedHeader } from './header-values.util';
import {
  failure,
  type Checked,
  type KeyResolver,
  type ResolvedKey,
  type SignatureAlgorithm,
  type SignatureRequest,
  type SignatureScheme,
  type VerificationFailure,
  type VerificationResult,
} from './http-signature.types';
import { InvalidKeyException } from './invalid-key.exception';
import { KeyObjectCache } from './key-object-cache.util';
import { parseRfc9421Headers, rfc9421SignatureBase, type Rfc9421SignatureInput } from './rfc9421-signature.util';
import { requestTarget, type RequestTarget } from './request-target.util';
import { algorithmForKey, cavageAlgorithm, isCavageAlgorithm, isRfc9421Algorithm, keySuits, verifyBase } from './signature-algorithm.util';

export interface HttpSignatureVerifierOptions {
  /** keyId -> key. Called only after every check that needs no key has passed. */
  readonly resolveKey: KeyResolver;
  /** Clock in epoch milliseconds (tests inject one). Default `Date.now`. */
  readonly now?: () => number;
  /** Accepted distance of Date and `created` from now, both directions. Default 3600 (1 h). */
  readonly maxSkewSeconds?: number;
  /** Accepted lateness past `expires`, for clock drift. Default 60. */
  readonly expiresGraceSeconds?: number;
  /** Require a covered Digest/Content-Digest on POST/PUT/PATCH and on any body. Default true. */
  readonly requireDigest?: boolean;
  /** After a failure with a key marked `fromCache`, resolve once more with `refresh: true`. Default true. */
  readonly refetchOnFailure?: boolean;
  /** Parsed keys for resolvers that return PEM. Default: a private cache of 1024 keys. */
  readonly keyCache?: KeyObjectCache;
}

export interface VerifyOptions {
  /** RFC 9421: verify this label only. Default: the first signature that meets the policy. */
  readonly label?: string;
}

/** A signature that passed every check that needs no key: what remains is one crypto verify. */
export interface PreparedSignature {
  readonly scheme: SignatureScheme;
  readonly keyId: string;
  readonly label?: string;
  /** draft `algorithm` or RFC 9421 `alg`, when the signer named one. */
  readonly declaredAlgorithm?: string;
  readonly covered: readonly string[];
  /** The signing string / signature base. */
  readonly base: Buffer;
  readonly signature: Buffer;
}

const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);
const AUTHORIZATION_SCHEME = /^signature\s+/i;

/**
 * Verifies inbound HTTP signatures: draft-cavage-http-signatures-12 (`Signature` or
 * `Authorization: Signature`) and RFC 9421 (`Signature-Input` + `Signature`), with the body
 * digest and a bounded clock skew. Never throws for a bad request: the result names the reason.
 *
 * Required coverage: the request target (`(request-target)`, or `@method` plus `@path` /
 * `@target-uri` / `@request-target`), the host (`host`, `@authority` or `@target-uri`), a time
 * (`date` covered, or `(created)` / `created`), and on requests with a body a digest
 * (`digest` or `content-digest`).
 */
export class HttpSignatureVerifier {
  private readonly now: () => number;
  private readonly maxSkewMs: number;
  private readonly expiresGraceMs: number;
  private readonly requireDigest: boolean;
  private readonly refetchOnFailure: boolean;
  private readonly keyCache: KeyObjectCache;

  constructor(private readonly options: HttpSignatureVerifierOptions) {
    this.now = options.now ?? Date.now;
    this.maxSkewMs = nonNegativeSeconds(options.maxSkewSeconds ?? 3600, 'maxSkewSeconds') * 1000;
    this.expiresGraceMs = nonNegativeSeconds(options.expiresGraceSeconds ?? 60, 'expiresGraceSeconds') * 1000;
    this.requireDigest = options.requireDigest ?? true;
    this.refetchOnFailure = options.refetchOnFailure ?? true;
    this.keyCache = options.keyCache ?? new KeyObjectCache();
  }

  /** Checks the request, resolves the key and verifies the signature. */
  async verify(request: SignatureRequest, options: VerifyOptions = {}): Promise<VerificationResult> {
    const prepared = this.prepare(request, options);
    if (!prepared.ok) return prepared;
    const { scheme, keyId } = prepared.value;

    // A resolver that answers from memory returns synchronously: no await then.
    const pending = this.resolve(keyId, false);
    const first = isPromise(pending) ? await pending : pending;
    if (!first.ok) return { ...first, scheme, keyId };
    const result = this.verifyPrepared(prepared.value, first.value.key, first.value);
    if (result.ok || !this.refetchOnFailure || first.value.fromCache !== true) return result;
    if (result.reason !== 'bad_signature' && result.reason !== 'unsupported_algorithm') return result;

    // The cached key may be stale (the remote rotated it): look it up once more, uncached.
    const fresh = await this.resolve(keyId, true);
    if (!fresh.ok) return { ...fresh, scheme, keyId };
    if (fresh.value.key === first.value.key) return result;
    return this.verifyPrepared(prepared.value, fresh.value.key, fresh.value);
  }

  /**
   * Every check that needs no key: header syntax, algorithm, required coverage, Date / created /
   * expires, body digest. Use it to reject a request before fetching anything.
   */
  prepare(request: SignatureRequest, options: VerifyOptions = {}): Checked<PreparedSignature> {
    const target = requestTarget(request);
    if (target === undefined) return failure('malformed_signature', `cannot read a request target from ${request.url}`);
    if (request.headers['signature-input'] !== undefined) return this.prepareRfc9421(request, target, options.label);
    const header = this.cavageHeader(request);
    if (!header.ok) return header;
    return this.prepareCavage(request, target, header.value);
  }

  /**
   * The final step: one signature verification with an already parsed key. `keyInfo` carries the
   * resolver's owner (reported back) and the key's algorithm, if the key metadata fixes one.
   */
  verifyPrepared(prepared: PreparedSignature, key: KeyObject, keyInfo: Omit<ResolvedKey, 'key'> = {}): VerificationResult {
    const { scheme, keyId } = prepared;
    const owner = keyInfo.owner;
    const algorithm = algorithmFor(prepared, key, keyInfo.algorithm);
    if (algorithm === undefined) {
      const declared = prepared.declaredAlgorithm ?? 'the default algorithm';
      return { ok: false, reason: 'unsupported_algorithm', message: `${declared} cannot be used with a ${keyKind(key)} key`, scheme, keyId };
    }
    if (!verifyBase(algorithm, key, prepared.base, prepared.signature)) {
      return { ok: false, reason: 'bad_signature', message: `the ${scheme} signature does not verify with key ${keyId}`, scheme, keyId };
    }
    return {
      ok: true,
      scheme,
      keyId,
      algorithm,
      covered: prepared.covered,
      ...(owner !== undefined && { owner }),
      ...(prepared.label !== undefined && { label: prepared.label }),
    };
  }

  private resolve(keyId: string, refresh: boolean): Checked<UsableKey> | Promise<Checked<UsableKey>> {
    let resolved: ReturnType<KeyResolver>;
    try {
      resolved = this.options.resolveKey(keyId, { refresh });
    } catch (error) {
      return keyUnavailable(keyId, error);
    }
    if (!isPromise(resolved)) return this.usableKey(keyId, resolved);
    return resolved.then(
      (value) => this.usableKey(keyId, value),
      (error: unknown) => keyUnavailable(keyId, error),
    );
  }

  private usableKey(keyId: string, resolved: ResolvedKey | null | undefined): Checked<UsableKey> {
    if (resolved === null || resolved === undefined) return failure('key_not_found', `no key ${keyId}`);
    let key: KeyObject;
    try {
      key = typeof resolved.key === 'string' ? this.keyCache.publicKey(resolved.key) : resolved.key;
    } catch (error) {
      if (error instanceof InvalidKeyException) return failure('invalid_key', `key ${keyId}: ${error.message}`);
      throw error;
    }
    return {
      ok: true,
      value: {
        key,
        ...(resolved.owner !== undefined && { owner: resolved.owner }),
        ...(resolved.fromCache !== undefined && { fromCache: resolved.fromCache }),
        ...(resolved.algorithm !== undefined && { algorithm: resolved.algorithm }),
      },
    };
  }

  private cavageHeader(request: SignatureRequest): Checked<string> {
    const signature = request.headers['signature'];
    if (signature !== undefined) {
      if (typeof signature !== 'string' && signature.length !== 1) return failure('malformed_signature', 'more than one Signature header');
      return { ok: true, value: combinedHeader(request.headers, 'signature') ?? '' };
    }
    const authorization = combinedHeader(request.headers, 'authorization');
    if (authorization !== undefined && AUTHORIZATION_SCHEME.test(authorization)) {
      return { ok: true, value: authorization.replace(AUTHORIZATION_SCHEME, '') };
    }
    return failure('missing_signature', 'no Signature, Authorization: Signature or Signature-Input header');
  }

  private prepareCavage(request: SignatureRequest, target: RequestTarget, header: string): Checked<PreparedSignature> {
    const parsed = parseCavageSignatureHeader(header);
    if (!parsed.ok) return withContext(parsed, 'cavage');
    const params = parsed.value;
    const fail = (result: VerificationFailure): VerificationFailure => withContext(result, 'cavage', params.keyId);
    if (!isCavageAlgorithm(params.algorithm)) return fail(failure('unsupported_algorithm', `algorithm ${params.algorithm} is not supported`));

    const covered = new Set(params.headers);
    const missing = this.missingCoverage(request, {
      target: covered.has('(request-target)'),
      host: covered.has('host'),
      time: covered.has('date') || covered.has('(created)'),
      digest: covered.has('digest') || covered.has('content-digest'),
    });
    if (missing) return fail(failure('missing_required_header', `the signature must cover ${missing}`));

    const base = cavageSigningString(request, target, params);
    if (!base.ok) return fail(base);
    const stale = this.checkTimesAndDigests(request, covered.has('date'), toNumber(params.created), toNumber(params.expires));
    if (stale) return fail(stale);
    return {
      ok: true,
      value: {
        scheme: 'cavage',
        keyId: params.keyId,
        covered: params.headers,
        base: Buffer.from(base.value),
        signature: params.signature,
        ...(params.algorithm !== undefined && { declaredAlgorithm: params.algorithm }),
      },
    };
  }

  private prepareRfc9421(request: SignatureRequest, target: RequestTarget, label: string | undefined): Checked<PreparedSignature> {
    const parsed = parseRfc9421Headers(request.headers);
    if (!parsed.ok) return withContext(parsed, 'rfc9421');
    const { inputs, signatures } = parsed.value;
    const candidates = label === undefined ? inputs : inputs.filter((input) => input.label === label);
    if (candidates.length === 0) {
      const message = label === undefined ? 'Signature-Input is empty' : `no signature labelled ${label}`;
      return withContext(failure('missing_signature', message), 'rfc9421');
    }
    let firstFailure: VerificationFailure | undefined;
    for (const input of candidates) {
      const prepared = this.prepareRfc9421Input(request, target, input, signatures.get(input.label));
      if (prepared.ok) return prepared;
      firstFailure ??= prepared;
    }
    return firstFailure as VerificationFailure;
  }

  private prepareRfc9421Input(
    request: SignatureRequest,
    target: RequestTarget,
    input: Rfc9421SignatureInput,
    signature: Buffer | undefined,
  ): Checked<PreparedSignature> {
    const fail = (result: VerificationFailure): VerificationFailure => withContext(result, 'rfc9421', input.keyId);
    if (signature === undefined) return fail(failure('malformed_signature', `Signature has no entry for label ${input.label}`));
    if (input.keyId === undefined) return fail(failure('malformed_signature', `signature ${input.label} has no keyid`));
    if (input.alg !== undefined && !isRfc9421Algorithm(input.alg)) {
      return fail(failure('unsupported_algorithm', `alg ${input.alg} is not supported`));
    }
    const covered = new Set(input.componentNames);
    const missing = this.missingCoverage(request, {
      target: covered.has('@method') && (covered.has('@target-uri') || covered.has('@path') || covered.has('@request-target')),
      host: covered.has('@authority') || covered.has('host') || covered.has('@target-uri'),
      time: covered.has('date') || input.created !== undefined,
      digest: covered.has('content-digest') || covered.has('digest'),
    });
    if (missing) return fail(failure('missing_required_header', `signature ${input.label} must cover ${missing}`));

    const base = rfc9421SignatureBase(request, target, input.innerList);
    if (!base.ok) return fail(base);
    const stale = this.checkTimesAndDigests(request, covered.has('date'), input.created, input.expires);
    if (stale) return fail(stale);
    return {
      ok: true,
      value: {
        scheme: 'rfc9421',
        keyId: input.keyId,
        label: input.label,
        covered: input.componentNames,
        base: Buffer.from(base.value),
        signature,
        ...(input.alg !== undefined && { declaredAlgorithm: input.alg }),
      },
    };
  }

  /** The first required part the signature leaves uncovered, described for the error message. */
  private missingCoverage(
    request: SignatureRequest,
    has: { readonly target: boolean; readonly host: boolean; readonly time: boolean; readonly digest: boolean },
  ): string | undefined {
    if (!has.target) return 'the request target ((request-target), or @method with @path/@target-uri)';
    if (!has.host) return 'the host (host or @authority)';
    if (!has.time) return 'a time (date, or created)';
    if (this.requireDigest && carriesBody(request) && !has.digest) return 'a body digest (digest or content-digest)';
    return undefined;
  }

  /** The checks both schemes make once their signature base is built: Date/created/expires, then the body digests. */
  private checkTimesAndDigests(request: SignatureRequest, dateCovered: boolean, created?: number, expires?: number): VerificationFailure | undefined {
    return this.checkTimes(request, dateCovered, created, expires) ?? this.checkDigests(request);
  }

  private checkTimes(request: SignatureRequest, dateCovered: boolean, created?: number, expires?: number): VerificationFailure | undefined {
    const now = this.now();
    if (dateCovered) {
      const value = combinedHeader(request.headers, 'date');
      const date = value === undefined ? Number.NaN : Date.parse(value);
      if (Number.isNaN(date)) return failure('date_out_of_range', `Date header is not a date: ${value ?? '(absent)'}`);
      const skew = this.outsideWindow(date, now);
      if (skew) return failure('date_out_of_range', `Date is ${skew}`);
    }
    if (created !== undefined) {
      const skew = this.outsideWindow(created * 1000, now);
      if (skew) return failure('date_out_of_range', `created is ${skew}`);
    }
    if (expires !== undefined && expires * 1000 + this.expiresGraceMs < now) {
      return failure('date_out_of_range', `the signature expired at ${new Date(expires * 1000).toISOString()}`);
    }
    return undefined;
  }

  private outsideWindow(timeMs: number, now: number): string | undefined {
    if (timeMs > now + this.maxSkewMs) return `in the future (${new Date(timeMs).toISOString()})`;
    if (timeMs < now - this.maxSkewMs) return `too old (${new Date(timeMs).toISOString()})`;
    return undefined;
  }

  private checkDigests(request: SignatureRequest): VerificationFailure | undefined {
    if (request.headers['digest'] === undefined && request.headers['content-digest'] === undefined) return undefined;
    const check = verifyBodyDigests(request.headers, request.body);
    return check.ok ? undefined : failure(check.reason, check.message);
  }
}

/**
 * The algorithm to verify with: the declared one if the key suits it (and the key metadata does
 * not pin another), else the key's own. `undefined` when declaration and key disagree.
 */
function algorithmFor(prepared: PreparedSignature, key: KeyObject, keyAlgorithm: SignatureAlgorithm | undefined): SignatureAlgorithm | undefined {
  const declared = prepared.declaredAlgorithm;
  const fromKey = keyAlgorithm !== undefined && keySuits(keyAlgorithm, key) ? keyAlgorithm : undefined;
  if (keyAlgorithm !== undefined && fromKey === undefined) return undefined;
  if (prepared.scheme === 'cavage') {
    if (declared === undefined || declared === 'hs2019') return fromKey ?? cavageAlgorithm(declared, key);
    const named = cavageAlgorithm(declared, key);
    return fromKey === undefined || fromKey === named ? named : undefined;
  }
  if (declared === undefined) return fromKey ?? algorithmForKey(key);
  if (!isRfc9421Algorithm(declared) || !keySuits(declared, key)) return undefined;
  return fromKey === undefined || fromKey === declared ? declared : undefined;
}

type UsableKey = ResolvedKey & { readonly key: KeyObject };

function keyUnavailable(keyId: string, error: unknown): VerificationFailure {
  return failure('key_unavailable', `looking up ${keyId} failed: ${error instanceof Error ? error.message : String(error)}`);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function carriesBody(request: SignatureRequest): boolean {
  return BODY_METHODS.has(request.method.toUpperCase()) || (request.body !== undefined && request.body.length > 0);
}

function withContext(result: VerificationFailure, scheme: SignatureScheme, keyId?: string): VerificationFailure {
  return { ...result, scheme, ...(keyId !== undefined && { keyId }) };
}

function toNumber(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

function keyKind(key: KeyObject): string {
  if (key.type === 'secret') return 'secret';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === undefined ? (key.asymmetricKeyType ?? 'unknown') : `${key.asymmetricKeyType ?? 'ec'} ${curve}`;
}

function nonNegativeSeconds(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number of seconds`);
  return value;
}
