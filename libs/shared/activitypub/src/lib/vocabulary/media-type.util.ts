import { AS_CONTEXT } from './activitystreams.constants';

export interface MediaTypeOptions {
  /**
   * Also accept `application/ld+json` without the ActivityStreams profile. Off by default: the
   * spec requires the profile, but a lenient inbox may want to take such posts anyway.
   */
  readonly lenient?: boolean;
}

interface MediaRange {
  readonly essence: string;
  readonly params: ReadonlyMap<string, string>;
}

/**
 * True when a `Content-Type` value names an ActivityPub document:
 * `application/activity+json` (any parameters) or
 * `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`.
 */
export function isActivityPubMediaType(contentType: string | undefined, options: MediaTypeOptions = {}): boolean {
  if (!contentType) return false;
  const [range] = parseMediaRanges(contentType);
  return range !== undefined && isActivityPubRange(range, options.lenient === true);
}

/**
 * True when an `Accept` value asks for ActivityPub: any listed ActivityPub media type with a
 * quality above zero. Wildcards (`*\/*`, `application/*`) do not count: browsers send them.
 */
export function acceptsActivityPub(accept: string | undefined, options: MediaTypeOptions = {}): boolean {
  if (!accept) return false;
  return parseMediaRanges(accept).some((range) => isActivityPubRange(range, options.lenient === true) && quality(range) > 0);
}

function isActivityPubRange(range: MediaRange, lenient: boolean): boolean {
  if (range.essence === 'application/activity+json') return true;
  if (range.essence !== 'application/ld+json') return false;
  const profile = range.params.get('profile');
  // profile is a space-separated list of URIs (RFC 6906).
  if (profile !== undefined && profile.split(/\s+/).includes(AS_CONTEXT)) return true;
  return lenient;
}

function quality(range: MediaRange): number {
  const q = range.params.get('q');
  if (q === undefined) return 1;
  const value = Number(q);
  return Number.isFinite(value) ? value : 0;
}

/** Splits a media type list on commas outside quoted strings and parses each entry. */
function parseMediaRanges(value: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of splitOutsideQuotes(value, ',')) {
    const [essencePart, ...paramParts] = splitOutsideQuotes(part, ';');
    const essence = (essencePart ?? '').trim().toLowerCase();
    if (!essence.includes('/')) continue;
    const params = new Map<string, string>();
    for (const param of paramParts) {
      const eq = param.indexOf('=');
      if (eq <= 0) continue;
      const name = param.slice(0, eq).trim().toLowerCase();
      params.set(name, unquote(param.slice(eq + 1).trim()));
    }
    ranges.push({ essence, params });
  }
  return ranges;
}

function splitOutsideQuotes(value: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\' && quoted) {
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === separator && !quoted) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}
