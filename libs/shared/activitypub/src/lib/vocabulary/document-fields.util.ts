import { type Addressing, type JsonObject, type LinkLike } from './activitypub.types';
import { asArray, idOf, idsOf, isHttpUrl, isJsonObject, stringOf, typesOf } from './json-ld-values.util';

// Readers of optional document fields for parse-document.util.ts. None of them fails: a
// malformed value is dropped rather than trusted, so one odd field never rejects a document.

/** An optional URL-valued property. */
export function optionalUrl(value: unknown): string | undefined {
  const id = idOf(value);
  return isHttpUrl(id) ? id : undefined;
}

export function addressingOf(value: JsonObject): Addressing {
  return {
    to: idsOf(value['to']),
    cc: idsOf(value['cc']),
    bto: idsOf(value['bto']),
    bcc: idsOf(value['bcc']),
    audience: idsOf(value['audience']),
  };
}

export function linksOf(value: unknown): LinkLike[] {
  const links: LinkLike[] = [];
  for (const item of asArray(value)) {
    if (!isJsonObject(item)) continue;
    const type = typesOf(item['type'])[0] ?? 'Link';
    const href = stringOf(item['href']) ?? idOf(item['url']);
    links.push({
      type,
      ...(href !== undefined && { href }),
      ...optionalStrings(item, ['name', 'mediaType'] as const),
    });
  }
  return links;
}

export function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isJsonObject(value)) return undefined;
  const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Copies the named string properties that are present and non-empty. */
export function optionalStrings<K extends string>(value: JsonObject, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const text = stringOf(value[key]);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

export function withoutUndefined<T extends Record<string, string | undefined>>(value: T): Partial<{ [K in keyof T]: string }> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    const entry = value[key];
    if (entry !== undefined) out[key] = entry;
  }
  return out as Partial<{ [K in keyof T]: string }>;
}
