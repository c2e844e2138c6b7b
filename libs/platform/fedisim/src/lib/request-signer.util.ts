import { createPrivateKey } from 'node:crypto';
import { type SignatureScheme } from './fedisim.types';
import { computeDigestHeaders } from './digest.util';
import { httpSignature, type HttpSignatureSignable } from './http-signature.util';
import { loadMessageSignatures } from './message-signatures.util';
import { defaultRfc9421Algorithm, signRfc9421Base } from './rfc9421-algorithm.util';

// Signs requests the way remote servers do, with the same independent libraries the simulator
// verifies with: draft-cavage rsa-sha256 over `(request-target) host date digest` (Mastodon), or
// RFC 9421 over `@method @target-uri content-digest` with `created` and `keyid`.

export interface SigningKey {
  readonly keyId: string;
  readonly privateKeyPem: string;
}

export interface RequestToSign {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly body?: Buffer;
  /** Headers to send besides the generated ones (content-type, accept ...). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SignatureSettings {
  readonly scheme?: SignatureScheme;
  /** Time written into Date (and `created`); default now. */
  readonly date?: Date;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

function draftSignedHeaders(method: 'GET' | 'POST', headers: Record<string, string>): string[] {
  if (method === 'POST') return ['(request-target)', 'host', 'date', 'digest'];
  return headers.accept === undefined ? ['(request-target)', 'host', 'date'] : ['(request-target)', 'host', 'date', 'accept'];
}

function signDraft(request: RequestToSign, key: SigningKey, headers: Record<string, string>): void {
  const signable: HttpSignatureSignable = {
    method: request.method,
    path: `${request.url.pathname}${request.url.search}`,
    getHeader: (name) => headers[name.toLowerCase()],
    setHeader: (name, value) => {
      headers[name.toLowerCase()] = value;
    },
  };
  httpSignature().signRequest(signable, {
    key: key.privateKeyPem,
    keyId: key.keyId,
    headers: draftSignedHeaders(request.method, headers),
    authorizationHeaderName: 'Signature',
  });
}

async function signRfc9421(request: RequestToSign, key: SigningKey, headers: Record<string, string>, date: Date): Promise<void> {
  const library = await loadMessageSignatures();
  const components = request.method === 'POST' ? ['@method', '@target-uri', 'content-digest'] : ['@method', '@target-uri'];
  const label = 'sig1';
  const draft = { created: Math.floor(date.getTime() / 1000), keyid: key.keyId };
  const algorithm = defaultRfc9421Algorithm(createPrivateKey(key.privateKeyPem));
  // Arrays and plain objects rather than Maps: see message-signatures.util.ts.
  headers['signature-input'] = library.convertSignatureParamsDictionary([
    [label, [components.map((name): [string, Record<string, string>] => [name, {}]), { ...draft, alg: algorithm }]],
  ]);
  const factory = new library.RFC9421SignatureBaseFactory(
    { url: request.url.href, method: request.method, headers },
    request.url.protocol.replace(':', ''),
    library.knownSfvHeaderTypeDictionary,
  );
  const { signature } = signRfc9421Base(factory.generate(label), key.privateKeyPem, algorithm);
  headers.signature = `${label}=:${signature}:`;
}

/** Returns the full header set (host, date, digests, signature ...) for a signed request. */
export async function signRequest(request: RequestToSign, key: SigningKey, settings: SignatureSettings = {}): Promise<Record<string, string>> {
  const date = settings.date ?? new Date();
  const headers: Record<string, string> = { ...lowerCaseKeys(request.headers), host: request.url.host, date: date.toUTCString() };
  if (request.method === 'POST') {
    const { digest, contentDigest } = computeDigestHeaders(request.body ?? Buffer.alloc(0));
    headers.digest = digest;
    headers['content-digest'] = contentDigest;
  }
  if ((settings.scheme ?? 'draft-cavage') === 'rfc9421') {
    await signRfc9421(request, key, headers, date);
  } else {
    signDraft(request, key, headers);
  }
  return headers;
}
