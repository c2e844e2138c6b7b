import { type IncomingMessage } from 'node:http';
import { verifyDraftSignature } from './draft-verify.util';
import { type SignatureScheme } from './fedisim.types';
import { httpSignature } from './http-signature.util';
import { loadMessageSignatures } from './message-signatures.util';
import { publicKeyOf } from './public-key-cache.util';
import { verifyRfc9421Base } from './rfc9421-algorithm.util';
import { SignatureException } from './signature.exception';

// Parses the signature of an incoming request with independent libraries: http-signature for
// draft-cavage (rsa-sha256, hs2019 read as rsa-sha256), @misskey-dev/node-http-message-signatures
// for the RFC 9421 signature base; both then verify with node:crypto on a cached KeyObject.
// Nothing here comes from our own ActivityPub code.

export interface ParsedRequestSignature {
  readonly scheme: SignatureScheme;
  readonly keyId: string;
  /** Checks the signature against a public key in PEM; false when it does not verify. */
  verify(publicKeyPem: string): Promise<boolean>;
}

export interface SignatureRules {
  /** Allowed |request time - now| in seconds (Date for draft-cavage, `created` for RFC 9421). */
  readonly clockSkewSeconds: number;
  /** Scheme the request arrived with, to rebuild @target-uri (the simulator serves plain http). */
  readonly scheme: 'http' | 'https';
}

/** Like Mastodon: the target, host and date are always signed, and the digest of a POST body. */
export function requiredDraftHeaders(method: string): string[] {
  const base = ['(request-target)', 'host', 'date'];
  return method.toUpperCase() === 'POST' ? [...base, 'digest'] : base;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function draftHeader(req: IncomingMessage): string | undefined {
  const signature = single(req.headers.signature);
  if (signature !== undefined) return signature;
  const authorization = single(req.headers.authorization);
  return authorization?.startsWith('Signature ') ? authorization.slice('Signature '.length) : undefined;
}

function draftParam(header: string, name: string): string | undefined {
  return new RegExp(`(?:^|,)\\s*${name}="([^"]*)"`, 'i').exec(header)?.[1];
}

/**
 * hs2019 means "the algorithm follows from the key". http-signature does not know the name; the
 * fediverse (Mastodon, Misskey) reads it as rsa-sha256 for RSA keys, and so does the simulator,
 * which then hands http-signature the header with that name. Only sound when `(algorithm)` is not
 * itself signed, so that case is refused.
 */
function asRsaSha256(req: IncomingMessage, header: string, keyIdHint: string | undefined): IncomingMessage['headers'] {
  if (/\(algorithm\)/.test(draftParam(header, 'headers') ?? '')) {
    throw new SignatureException('draft-cavage: hs2019 with a signed (algorithm) is not supported', keyIdHint);
  }
  const rewritten = header.replace(/algorithm="hs2019"/i, 'algorithm="rsa-sha256"');
  return req.headers.signature !== undefined
    ? { ...req.headers, signature: rewritten }
    : { ...req.headers, authorization: `Signature ${rewritten}` };
}

function parseDraft(req: IncomingMessage, header: string, rules: SignatureRules, keyIdHint: string | undefined): ParsedRequestSignature {
  const library = httpSignature();
  const method = req.method ?? 'GET';
  const hs2019 = draftParam(header, 'algorithm')?.toLowerCase() === 'hs2019';
  const headers = hs2019 ? asRsaSha256(req, header, keyIdHint) : req.headers;
  let parsed: ReturnType<typeof library.parseRequest>;
  try {
    parsed = library.parseRequest(
      { headers, method, url: req.url ?? '/', httpVersion: req.httpVersion },
      { clockSkew: rules.clockSkewSeconds, headers: requiredDraftHeaders(method) },
    );
  } catch (error) {
    throw new SignatureException(`draft-cavage: ${message(error)}`, keyIdHint);
  }
  return {
    scheme: 'draft-cavage',
    keyId: parsed.keyId,
    verify: async (publicKeyPem) => {
      try {
        return verifyDraftSignature(parsed, publicKeyOf(publicKeyPem));
      } catch {
        return false;
      }
    },
  };
}

function paramString(params: Map<string, unknown>, name: string): string | undefined {
  const value = params.get(name);
  return typeof value === 'string' ? value : undefined;
}

function paramNumber(params: Map<string, unknown>, name: string): number | undefined {
  const value = params.get(name);
  return typeof value === 'number' ? value : undefined;
}

function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
}

function checkRfc9421Components(components: readonly string[], method: string): void {
  const missing: string[] = [];
  if (!components.includes('@method')) missing.push('@method');
  if (!components.includes('@target-uri') && !(components.includes('@authority') && components.includes('@path'))) {
    missing.push('@target-uri (or @authority and @path)');
  }
  if (method.toUpperCase() === 'POST' && !components.includes('content-digest')) missing.push('content-digest');
  if (missing.length > 0) throw new Error(`components not signed: ${missing.join(', ')}`);
}

function checkRfc9421Times(created: number | undefined, expires: number | undefined, skewSeconds: number): void {
  const now = Date.now() / 1000;
  if (created === undefined) throw new Error('created parameter is missing');
  if (Math.abs(now - created) > skewSeconds) {
    throw new Error(`created is ${Math.round(now - created)} s away from now (allowed ${skewSeconds} s)`);
  }
  if (expires !== undefined && expires + skewSeconds < now) throw new Error('signature expired');
}

async function parseRfc9421(req: IncomingMessage, rules: SignatureRules): Promise<ParsedRequestSignature> {
  const library = await loadMessageSignatures().catch((error: unknown) => {
    throw new SignatureException(message(error));
  });
  const method = req.method ?? 'GET';
  let keyId: string | undefined;
  try {
    // Node's joined header values, so that dictionary members can be read back as strings.
    const request = { url: req.url ?? '/', method, headers: { ...req.headers } };
    const factory = new library.RFC9421SignatureBaseFactory(request, rules.scheme, library.knownSfvHeaderTypeDictionary);
    const first = factory.requestSignatureInput?.entries().next();
    if (!first || first.done) throw new Error('Signature-Input has no member');
    const [label, [items, params]] = first.value;
    keyId = paramString(params, 'keyid');
    if (keyId === undefined) throw new Error(`signature ${label} has no keyid`);
    checkRfc9421Components(
      items.map(([name]) => unquote(name)),
      method,
    );
    checkRfc9421Times(paramNumber(params, 'created'), paramNumber(params, 'expires'), rules.clockSkewSeconds);
    const base = factory.generate(label);
    const serialized = factory.get('signature', [['key', label]]);
    const signature = /^:([A-Za-z0-9+/]*={0,2}):$/.exec(serialized)?.[1];
    if (signature === undefined) throw new Error(`Signature member ${label} is not a byte sequence`);
    const algorithm = paramString(params, 'alg');
    return {
      scheme: 'rfc9421',
      keyId,
      verify: async (publicKeyPem) => {
        try {
          return verifyRfc9421Base(base, signature, publicKeyPem, algorithm);
        } catch {
          return false;
        }
      },
    };
  } catch (error) {
    throw new SignatureException(`rfc9421: ${message(error)}`, keyId);
  }
}

/** Parses (does not yet verify) the signature of a request; throws SignatureException. */
export async function parseRequestSignature(req: IncomingMessage, rules: SignatureRules): Promise<ParsedRequestSignature> {
  if (req.headers['signature-input'] !== undefined) return parseRfc9421(req, rules);
  const header = draftHeader(req);
  if (header === undefined) throw new SignatureException('no Signature header');
  return parseDraft(req, header, rules, draftParam(header, 'keyId'));
}
