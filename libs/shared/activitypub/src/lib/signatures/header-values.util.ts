import { type HeaderMap } from './http-signature.types';

/**
 * The value of a header as both signature schemes canonicalise it (RFC 9421 §2.1, cavage §2.3):
 * each field line trimmed, obsolete line folding replaced by one space, repeated fields joined
 * with ", ". `undefined` when the header is absent.
 */
export function combinedHeader(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return canonicalLine(value);
  if (value.length === 0) return undefined;
  if (value.length === 1) return canonicalLine(value[0] as string);
  return value.map(canonicalLine).join(', ');
}

/** The individual field lines of a header, each trimmed (for RFC 9421 `bs`). */
export function headerLines(headers: HeaderMap, name: string): readonly string[] | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return (typeof value === 'string' ? [value] : value).map(canonicalLine);
}

function canonicalLine(value: string): string {
  // Fast path: the common header needs no rewriting at all.
  const folded = value.includes('\n') ? value.replace(/\r?\n[ \t]+/g, ' ') : value;
  return folded.trim();
}
