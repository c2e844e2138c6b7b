import { type IncomingMessage } from 'node:http';
import { verifyBodyDigests } from './digest.util';
import { type SignatureScheme } from './fedisim.types';
import { type KeyResolver } from './key-resolver.service';
import { parseRequestSignature, type SignatureRules } from './request-signature.util';
import { SignatureException } from './signature.exception';
import { type SimActor } from './sim-actor.util';

export type Verdict =
  | { readonly ok: true; readonly keyId: string; readonly scheme: SignatureScheme }
  | { readonly ok: false; readonly keyId: string | undefined; readonly reason: string };

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Checks an incoming request the way a careful remote server does: the signature parses and
 * covers the required parts, the Date (or `created`) is fresh, the body matches its digest, and the
 * signature verifies with the sender's key; a fetched key that fails is fetched again once.
 */
export class SignatureVerifier {
  constructor(
    private readonly keys: KeyResolver,
    private readonly rules: SignatureRules,
  ) {}

  /** `body` is given for requests that carry one (POST); its digest is then required. */
  async verify(req: IncomingMessage, body: Buffer | undefined, fetchAs: SimActor): Promise<Verdict> {
    let parsed: Awaited<ReturnType<typeof parseRequestSignature>>;
    try {
      parsed = await parseRequestSignature(req, this.rules);
    } catch (error) {
      return { ok: false, keyId: error instanceof SignatureException ? error.keyId : undefined, reason: reasonOf(error) };
    }
    const { keyId } = parsed;
    if (body !== undefined) {
      const digest = verifyBodyDigests(req.headers, body);
      if (!digest.ok) return { ok: false, keyId, reason: `digest: ${digest.reason}` };
    }
    let key: Awaited<ReturnType<KeyResolver['resolve']>>;
    try {
      key = await this.keys.resolve(keyId, fetchAs);
    } catch (error) {
      return { ok: false, keyId, reason: `key ${keyId}: ${reasonOf(error)}` };
    }
    if (await parsed.verify(key.publicKeyPem)) return { ok: true, keyId, scheme: parsed.scheme };
    if (key.source === 'fetched') {
      try {
        const fresh = await this.keys.resolve(keyId, fetchAs, true);
        if (await parsed.verify(fresh.publicKeyPem)) return { ok: true, keyId, scheme: parsed.scheme };
      } catch (error) {
        return { ok: false, keyId, reason: `signature does not verify and the key refetch failed: ${reasonOf(error)}` };
      }
    }
    return { ok: false, keyId, reason: `${parsed.scheme} signature does not verify with the ${key.source} key of ${keyId}` };
  }
}
