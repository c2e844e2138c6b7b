import { AS_CONTEXT, AS_PUBLIC, AS_PUBLIC_ALIASES } from './activitystreams.constants';
import { type JsonObject } from './activitypub.types';

/**
 * Helpers for the shapes JSON-LD compaction produces: a property may hold one value or an array,
 * an embedded object or an id string, or a Link object with `href`.
 */

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `undefined`/`null` -> `[]`, an array as is, anything else -> `[value]`. */
export function asArray<T>(value: T | readonly T[] | null | undefined): readonly T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/**
 * The id a reference points at: the string itself, an object's `id`, or a Link's `href`.
 * For an array, the first element that yields an id. `undefined` when there is none.
 */
export function idOf(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref.length > 0 ? ref : undefined;
  if (Array.isArray(ref)) {
    for (const item of ref) {
      const id = idOf(item);
      if (id !== undefined) return id;
    }
    return undefined;
  }
  if (!isJsonObject(ref)) return undefined;
  if (typeof ref['id'] === 'string' && ref['id'].length > 0) return ref['id'];
  if (typeof ref['href'] === 'string' && ref['href'].length > 0) return ref['href'];
  return undefined;
}

/** Every id in a single-or-array property; entries without an id are skipped. */
export function idsOf(value: unknown): string[] {
  const ids: string[] = [];
  for (const item of asArray(value)) {
    const id = idOf(item);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

const AS_PREFIX = `${AS_CONTEXT}#`;

/** `as:Note` and `https://www.w3.org/ns/activitystreams#Note` both mean `Note`. */
export function normaliseType(type: string): string {
  if (type.startsWith('as:')) return type.slice(3);
  if (type.startsWith(AS_PREFIX)) return type.slice(AS_PREFIX.length);
  return type;
}

/** The declared types (string or array of strings), normalised; non-strings are dropped. */
export function typesOf(value: unknown): string[] {
  const types: string[] = [];
  for (const item of asArray(value)) {
    if (typeof item === 'string' && item.length > 0) types.push(normaliseType(item));
  }
  return types;
}

/** An absolute http(s) URL: what every ActivityPub id, inbox and collection must be. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 4096) return false;
  if (!value.startsWith('https://') && !value.startsWith('http://')) return false;
  try {
    return new URL(value).host.length > 0;
  } catch {
    return false;
  }
}

/** A non-empty string, or `undefined`. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Whether an addressing list contains the public collection (in any of its spellings). */
export function isPublicAddress(ids: readonly string[]): boolean {
  return ids.some((id) => id === AS_PUBLIC || AS_PUBLIC_ALIASES.includes(id));
}
