import {
  isInnerList,
  parseDictionary,
  parseList,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  serializeList,
  type BareItem,
  type InnerList,
  type Item,
  type Parameters,
} from 'structured-headers';
import { isByteSequence } from './digest.util';
import { combinedHeader, headerLines } from './header-values.util';
import { failure, type Checked, type HeaderMap, type SignatureRequest } from './http-signature.types';
import { type RequestTarget } from './request-target.util';

/** One entry of `Signature-Input` (RFC 9421 §4.1) with its metadata parameters typed. */
export interface Rfc9421SignatureInput {
  readonly label: string;
  /** The parsed inner list; re-serialised strictly as the `@signature-params` line. */
  readonly innerList: InnerList;
  /** Component names in signed order (parameters dropped), for policy checks and reporting. */
  readonly componentNames: readonly string[];
  readonly keyId?: string;
  readonly alg?: string;
  readonly created?: number;
  readonly expires?: number;
  readonly nonce?: string;
  readonly tag?: string;
}

export interface Rfc9421Signatures {
  /** In header order. */
  readonly inputs: readonly Rfc9421SignatureInput[];
  readonly signatures: ReadonlyMap<string, Buffer>;
}

const STRING_PARAMS = ['keyid', 'alg', 'nonce', 'tag'] as const;
/** `label=:base64:` and nothing else: a dictionary with one byte-sequence member and no parameters. */
const SINGLE_SIGNATURE = /^([a-z*][a-z0-9_.*-]*)=:([A-Za-z0-9+/]*={0,2}):$/;
const INTEGER_PARAMS = ['created', 'expires'] as const;

/** Parses `Signature-Input` and `Signature` (RFC 8941 dictionaries) from the request headers. */
export function parseRfc9421Headers(headers: HeaderMap): Checked<Rfc9421Signatures> {
  const inputHeader = combinedHeader(headers, 'signature-input');
  const signatureHeader = combinedHeader(headers, 'signature');
  if (inputHeader === undefined || signatureHeader === undefined) {
    return failure('missing_signature', 'RFC 9421 needs both Signature-Input and Signature');
  }
  let inputDictionary;
  const signatures = new Map<string, Buffer>();
  try {
    inputDictionary = parseDictionary(inputHeader);
    const single = SINGLE_SIGNATURE.exec(signatureHeader);
    if (single !== null) {
      // The usual case, one label, without the general parser's per-character base64 decoding.
      signatures.set(single[1] as string, Buffer.from(single[2] as string, 'base64'));
    } else {
      for (const [label, member] of parseDictionary(signatureHeader)) {
        const bytes = isInnerList(member) ? undefined : member[0];
        if (!isByteSequence(bytes)) return failure('malformed_signature', `Signature ${label} is not a byte sequence`);
        signatures.set(label, Buffer.from(bytes));
      }
    }
  } catch (error) {
    return failure('malformed_signature', `not a structured dictionary: ${(error as Error).message}`);
  }

  const inputs: Rfc9421SignatureInput[] = [];
  for (const [label, member] of inputDictionary) {
    if (!isInnerList(member)) return failure('malformed_signature', `Signature-Input ${label} is not an inner list`);
    const componentNames: string[] = [];
    for (const [name] of member[0]) {
      if (typeof name !== 'string') return failure('malformed_signature', `Signature-Input ${label}: component identifiers must be strings`);
      if (name !== name.toLowerCase()) return failure('malformed_signature', `Signature-Input ${label}: component ${name} must be lowercase`);
      componentNames.push(name);
    }
    const params = member[1];
    const typed: Record<string, string | number> = {};
    for (const key of STRING_PARAMS) {
      const value = params.get(key);
      if (value === undefined) continue;
      if (typeof value !== 'string') return failure('malformed_signature', `Signature-Input ${label}: ${key} must be a string`);
      typed[key] = value;
    }
    for (const key of INTEGER_PARAMS) {
      const value = params.get(key);
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return failure('malformed_signature', `Signature-Input ${label}: ${key} must be an integer`);
      }
      typed[key] = value;
    }
    inputs.push({
      label,
      innerList: member,
      componentNames,
      ...(typed['keyid'] !== undefined && { keyId: typed['keyid'] as string }),
      ...(typed['alg'] !== undefined && { alg: typed['alg'] as string }),
      ...(typed['nonce'] !== undefined && { nonce: typed['nonce'] as string }),
      ...(typed['tag'] !== undefined && { tag: typed['tag'] as string }),
      ...(typed['created'] !== undefined && { created: typed['created'] as number }),
      ...(typed['expires'] !== undefined && { expires: typed['expires'] as number }),
    });
  }
  return { ok: true, value: { inputs, signatures } };
}

/** Characters allowed in a signature base (RFC 9421 §2.5 step 4: ASCII only, no other controls). */
const BASE_SAFE = /^[\t\x20-\x7e]*$/;

/**
 * Builds the signature base (RFC 9421 §2.5) for a request: one `"component": value` line per
 * covered component, then the `"@signature-params"` line re-serialised from the inner list.
 */
export function rfc9421SignatureBase(request: SignatureRequest, target: RequestTarget, innerList: InnerList): Checked<string> {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const item of innerList[0]) {
    const [name, params] = item;
    if (typeof name !== 'string') return failure('malformed_signature', 'component identifiers must be strings');
    let identifier: string;
    try {
      identifier = serializeComponentIdentifier(name, params);
    } catch (error) {
      return failure('malformed_signature', `component ${name}: ${(error as Error).message}`);
    }
    if (seen.has(identifier)) return failure('malformed_signature', `component ${identifier} is covered twice`);
    seen.add(identifier);
    const value = componentValue(name, params, request, target);
    if (!value.ok) return value;
    if (!BASE_SAFE.test(value.value)) return failure('malformed_signature', `component ${identifier} has characters a signature base cannot hold`);
    lines.push(`${identifier}: ${value.value}`);
  }
  try {
    lines.push(`"@signature-params": ${serializeSignatureParams(innerList)}`);
  } catch (error) {
    return failure('malformed_signature', `signature parameters: ${(error as Error).message}`);
  }
  return { ok: true, value: lines.join('\n') };
}

/** An sf-string needing no escapes: printable ASCII without `"` and `\`. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Strict RFC 8941 serialisation of parameters for the values signatures carry (plain strings,
 * integers, true), or `undefined` for anything else. This runs for every verification, and the
 * general serialiser is several times slower; results are identical for what it handles.
 */
function serializePlainParams(params: Parameters): string | undefined {
  let out = '';
  for (const [key, value] of params) {
    if (value === true) out += `;${key}`;
    else if (typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) < 1e15) out += `;${key}=${value}`;
    else if (typeof value === 'string' && PLAIN_STRING.test(value)) out += `;${key}="${value}"`;
    else return undefined;
  }
  return out;
}

function serializeComponentIdentifier(name: string, params: Parameters): string {
  const plainParams = PLAIN_STRING.test(name) ? serializePlainParams(params) : undefined;
  return plainParams === undefined ? serializeItem([name, params]) : `"${name}"${plainParams}`;
}

function serializeSignatureParams(innerList: InnerList): string {
  const [items, params] = innerList;
  const plainParams = serializePlainParams(params);
  if (plainParams === undefined) return serializeInnerList(innerList);
  let out = '(';
  for (let i = 0; i < items.length; i++) {
    const [name, itemParams] = items[i] as Item;
    if (typeof name !== 'string') return serializeInnerList(innerList);
    out += (i === 0 ? '' : ' ') + serializeComponentIdentifier(name, itemParams);
  }
  return `${out})${plainParams}`;
}

/** Serialises `Signature-Input` for one label, and returns the inner list the base needs. */
export function rfc9421SignatureInput(
  label: string,
  components: readonly string[],
  params: ReadonlyMap<string, BareItem>,
): { readonly header: string; readonly innerList: InnerList } {
  const innerList: InnerList = [components.map((name): Item => [name, new Map()]), new Map(params)];
  return { header: serializeDictionary(new Map([[label, innerList]])), innerList };
}

/** Serialises `Signature` for one label. */
export function rfc9421SignatureHeader(label: string, signature: Buffer): string {
  return serializeDictionary(new Map([[label, [signature, new Map()]]]));
}

function componentValue(name: string, params: Parameters, request: SignatureRequest, target: RequestTarget): Checked<string> {
  if (name.startsWith('@')) {
    if (name === '@query-param') return queryParamValue(params, target);
    if (params.size > 0) return failure('malformed_signature', `${name} takes no parameters here`);
    return derivedValue(name, request, target);
  }
  return fieldValue(name, params, request.headers);
}

function derivedValue(name: string, request: SignatureRequest, target: RequestTarget): Checked<string> {
  switch (name) {
    case '@method':
      return { ok: true, value: request.method };
    case '@target-uri':
    case '@authority':
      if (target.authority === '') return failure('missing_required_header', `${name} needs a Host header`);
      return {
        ok: true,
        value: name === '@authority' ? target.authority : `${target.scheme}://${target.authority}${target.path}${target.search}`,
      };
    case '@scheme':
      return { ok: true, value: target.scheme };
    case '@request-target':
      return { ok: true, value: `${target.path}${target.search}` };
    case '@path':
      return { ok: true, value: target.path };
    case '@query':
      return { ok: true, value: target.search === '' ? '?' : target.search };
    default:
      return failure('malformed_signature', `derived component ${name} is not available on a request`);
  }
}

/** `@query-param;name="..."`: the single parameter with that (encoded) name, re-encoded (RFC 9421 §2.2.8). */
function queryParamValue(params: Parameters, target: RequestTarget): Checked<string> {
  const wanted = params.get('name');
  if (typeof wanted !== 'string' || params.size !== 1) {
    return failure('malformed_signature', '@query-param needs exactly one string parameter "name"');
  }
  const matches: string[] = [];
  for (const [key, value] of new URLSearchParams(target.search)) {
    if (formEncode(key) === wanted) matches.push(value);
  }
  if (matches.length !== 1) {
    return failure('missing_required_header', `query parameter ${wanted} must occur exactly once (found ${matches.length})`);
  }
  return { ok: true, value: formEncode(matches[0] as string) };
}

/** application/x-www-form-urlencoded percent-encoding, with %20 for space (RFC 9421 §2.2.8). */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

const DICTIONARY_FIELDS: ReadonlySet<string> = new Set([
  'signature',
  'signature-input',
  'accept-signature',
  'content-digest',
  'repr-digest',
  'want-content-digest',
  'want-repr-digest',
  'priority',
]);
const LIST_FIELDS: ReadonlySet<string> = new Set(['accept-ch', 'cache-status', 'proxy-status']);

function fieldValue(name: string, params: Parameters, headers: HeaderMap): Checked<string> {
  for (const param of params.keys()) {
    if (param === 'req' || param === 'tr') return failure('malformed_signature', `${name};${param} does not apply to a request`);
    if (param !== 'sf' && param !== 'key' && param !== 'bs') return failure('malformed_signature', `unknown component parameter ${param} on ${name}`);
  }
  const key = params.get('key');
  const strict = params.get('sf') === true;
  const binary = params.get('bs') === true;
  if (binary && (strict || key !== undefined)) return failure('malformed_signature', `${name}: bs cannot be combined with sf or key`);

  if (binary) {
    const lines = headerLines(headers, name);
    if (lines === undefined) return failure('missing_required_header', `covered header ${name} is absent`);
    return { ok: true, value: lines.map((line) => `:${Buffer.from(line, 'latin1').toString('base64')}:`).join(', ') };
  }
  const value = combinedHeader(headers, name);
  if (value === undefined) return failure('missing_required_header', `covered header ${name} is absent`);
  if (key !== undefined) {
    if (typeof key !== 'string') return failure('malformed_signature', `${name};key must be a string`);
    try {
      const member = parseDictionary(value).get(key);
      if (member === undefined) return failure('missing_required_header', `${name} has no member ${key}`);
      return { ok: true, value: isInnerList(member) ? serializeInnerList(member) : serializeItem(member) };
    } catch {
      return failure('malformed_signature', `${name} is not a structured dictionary`);
    }
  }
  if (strict) {
    try {
      if (DICTIONARY_FIELDS.has(name)) return { ok: true, value: serializeDictionary(parseDictionary(value)) };
      if (LIST_FIELDS.has(name)) return { ok: true, value: serializeList(parseList(value)) };
    } catch {
      return failure('malformed_signature', `${name} is not a valid structured field`);
    }
    return failure('malformed_signature', `${name};sf: the structure of ${name} is not known`);
  }
  return { ok: true, value };
}
