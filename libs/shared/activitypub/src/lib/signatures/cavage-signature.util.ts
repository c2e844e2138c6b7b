import { decodeBase64 } from './digest.util';
import { combinedHeader } from './header-values.util';
import { failure, type Checked, type SignatureRequest } from './http-signature.types';
import { type RequestTarget } from './request-target.util';

/** draft-cavage-http-signatures-12 §2.1 parameters, normalised. */
export interface CavageSignatureParams {
  readonly keyId: string;
  /** Lowercased; absent when the header names none. */
  readonly algorithm?: string;
  /** Covered headers, lowercased, in signed order (default `date`, or `(created)` when created is given). */
  readonly headers: readonly string[];
  readonly signature: Buffer;
  /** `created` / `expires` exactly as sent (they re-enter the signing string verbatim). */
  readonly created?: string;
  readonly expires?: string;
}

const INTEGER = /^\d{1,12}$/;
const TIMESTAMP = /^\d{1,12}(\.\d{1,9})?$/;
const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;

function isNameChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || // -
    code === 0x5f // _
  );
}

/**
 * Parses a `Signature` header value, or an `Authorization` value after `Signature `. Quoted
 * values may contain commas and `\"` escapes; parameter names are matched case-insensitively;
 * unknown parameters are ignored; a repeated parameter is an error. Runs on every inbound
 * request, so it scans with indexOf rather than character by character.
 */
export function parseCavageSignatureHeader(value: string): Checked<CavageSignatureParams> {
  const params = new Map<string, string>();
  const n = value.length;
  let i = 0;
  const skipWhitespace = (): void => {
    while (i < n && (value.charCodeAt(i) === SPACE || value.charCodeAt(i) === TAB)) i++;
  };
  while (i < n) {
    let code = value.charCodeAt(i);
    while (i < n && (code === SPACE || code === TAB || code === COMMA)) code = value.charCodeAt(++i);
    if (i >= n) break;
    const nameStart = i;
    while (i < n && isNameChar(value.charCodeAt(i))) i++;
    if (i === nameStart) return failure('malformed_signature', `unexpected "${value[i]}" at ${i} in Signature header`);
    const name = value.slice(nameStart, i).toLowerCase();
    skipWhitespace();
    if (value.charCodeAt(i) !== EQUALS) return failure('malformed_signature', `expected "=" after ${name} in Signature header`);
    i++;
    skipWhitespace();
    let paramValue: string;
    if (value.charCodeAt(i) === QUOTE) {
      const quoted = readQuoted(value, i + 1);
      if (quoted === undefined) return failure('malformed_signature', `unterminated quoted value for ${name} in Signature header`);
      paramValue = quoted.text;
      i = quoted.end;
    } else {
      const comma = value.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      paramValue = value.slice(i, end).trim();
      i = end;
    }
    skipWhitespace();
    if (i < n && value.charCodeAt(i) !== COMMA) return failure('malformed_signature', `expected "," after ${name} in Signature header`);
    if (params.has(name)) return failure('malformed_signature', `${name} appears twice in Signature header`);
    params.set(name, paramValue);
  }

  const keyId = params.get('keyid');
  if (!keyId) return failure('malformed_signature', 'Signature header has no keyId');
  const encoded = params.get('signature');
  if (!encoded) return failure('malformed_signature', 'Signature header has no signature');
  const signature = decodeBase64(encoded);
  if (signature === undefined) return failure('malformed_signature', 'signature is not base64');
  const created = params.get('created');
  if (created !== undefined && !INTEGER.test(created)) return failure('malformed_signature', 'created must be an integer timestamp');
  const expires = params.get('expires');
  if (expires !== undefined && !TIMESTAMP.test(expires)) return failure('malformed_signature', 'expires must be a timestamp');
  const declaredHeaders = params.get('headers');
  const headers =
    declaredHeaders === undefined
      ? [created === undefined ? 'date' : '(created)']
      : declaredHeaders.toLowerCase().split(/\s+/).filter((header) => header.length > 0);
  if (headers.length === 0) return failure('malformed_signature', 'headers parameter is empty');
  const algorithm = params.get('algorithm')?.toLowerCase();
  return {
    ok: true,
    value: {
      keyId,
      headers,
      signature,
      ...(algorithm !== undefined && { algorithm }),
      ...(created !== undefined && { created }),
      ...(expires !== undefined && { expires }),
    },
  };
}

/** A quoted string starting after its opening quote: its text and the index after the closing quote. */
function readQuoted(value: string, start: number): { text: string; end: number } | undefined {
  const close = value.indexOf('"', start);
  const escape = value.indexOf('\\', start);
  if (close === -1) return undefined;
  if (escape === -1 || escape > close) return { text: value.slice(start, close), end: close + 1 };
  // Rare: backslash escapes inside the value.
  let text = '';
  for (let i = start; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === BACKSLASH && i + 1 < value.length) {
      text += value[i + 1];
      i++;
    } else if (code === QUOTE) {
      return { text, end: i + 1 };
    } else {
      text += value[i];
    }
  }
  return undefined;
}

/** (created)/(expires) are forbidden with the algorithm families that predate them (cavage-12 §2.3). */
function allowsTimestampPseudoHeaders(algorithm: string | undefined): boolean {
  return algorithm === undefined || !/^(rsa|hmac|ecdsa)-/.test(algorithm);
}

/** Builds the draft-cavage signing string (§2.3): `name: value` lines joined by `\n`. */
export function cavageSigningString(
  request: SignatureRequest,
  target: RequestTarget,
  params: Pick<CavageSignatureParams, 'headers' | 'algorithm' | 'created' | 'expires'>,
): Checked<string> {
  const lines: string[] = [];
  for (const name of params.headers) {
    if (name === '(request-target)') {
      lines.push(`(request-target): ${request.method.toLowerCase()} ${target.path}${target.search}`);
    } else if (name === '(created)' || name === '(expires)') {
      const value = name === '(created)' ? params.created : params.expires;
      if (value === undefined) return failure('malformed_signature', `${name} is covered but the parameter is missing`);
      if (!allowsTimestampPseudoHeaders(params.algorithm)) {
        return failure('malformed_signature', `${name} cannot be used with algorithm ${params.algorithm}`);
      }
      lines.push(`${name}: ${value}`);
    } else if (name.startsWith('(')) {
      return failure('malformed_signature', `unsupported pseudo-header ${name}`);
    } else {
      const value = combinedHeader(request.headers, name);
      if (value === undefined) return failure('missing_required_header', `covered header ${name} is absent`);
      lines.push(`${name}: ${value}`);
    }
  }
  return { ok: true, value: lines.join('\n') };
}

/** Serialises the `Signature` header value (also valid after `Authorization: Signature `). */
export function formatCavageSignatureHeader(params: CavageSignatureParams): string {
  const parts = [`keyId="${params.keyId}"`];
  if (params.algorithm !== undefined) parts.push(`algorithm="${params.algorithm}"`);
  if (params.created !== undefined) parts.push(`created=${params.created}`);
  if (params.expires !== undefined) parts.push(`expires=${params.expires}`);
  parts.push(`headers="${params.headers.join(' ')}"`, `signature="${params.signature.toString('base64')}"`);
  return parts.join(',');
}
