import { DeliveryDomainError } from '../delivery-domain.exception';

export interface FollowerEndpoint {
  readonly actorId: string;
  readonly inbox: string;
  readonly sharedInbox?: string | null;
}

export interface FanOutInput {
  readonly followers: readonly FollowerEndpoint[];
  /** Our own hosts ("peerfed.example", "localhost:3000") or origins ("https://peerfed.example"); never delivered to. */
  readonly localHosts: readonly string[];
  /** Inboxes addressed directly (an Accept to one actor, a mention); used as given, never swapped for a shared inbox. */
  readonly explicitInboxes?: readonly string[];
  /** false for direct messages, which must reach personal inboxes only. Default true. */
  readonly useSharedInbox?: boolean;
}

export interface FanOutDestination {
  /** Normalised URL (lower-case host, no default port, no fragment): the dedupe key. */
  readonly inbox: string;
  /** host[:port], lower case: the key for circuit, rate limit and ordering. */
  readonly host: string;
  readonly shared: boolean;
}

export interface FanOutHostGroup {
  readonly host: string;
  readonly destinations: readonly FanOutDestination[];
}

export interface RejectedEndpoint {
  readonly url: string;
  readonly actorId?: string;
  readonly reason: 'unparseable' | 'unsupported-scheme' | 'credentials-in-url';
}

export interface FanOutPlan {
  /** One entry per distinct inbox, sorted by host then inbox (stable whatever the input order). */
  readonly destinations: readonly FanOutDestination[];
  /** The same destinations grouped per host, hosts sorted. */
  readonly byHost: readonly FanOutHostGroup[];
  /** Recipients skipped because they live on one of our own hosts. */
  readonly skippedLocal: number;
  /** Recipients whose inbox URL we refuse; reported, not thrown, so one bad row cannot stop a fan-out. */
  readonly rejected: readonly RejectedEndpoint[];
}

type Parsed = { ok: true; inbox: string; host: string } | { ok: false; reason: RejectedEndpoint['reason'] };

/**
 * Deduplicated destination inboxes for one activity. A follower with a shared inbox is reached
 * through it (one POST per server instead of one per follower); otherwise through its own inbox.
 * Linear in the number of followers: each distinct URL string is parsed once.
 */
export function planFanOut(input: FanOutInput): FanOutPlan {
  if (!Array.isArray(input.followers) || !Array.isArray(input.localHosts)) {
    throw new DeliveryDomainError('INVALID_INPUT', 'planFanOut needs followers and localHosts arrays');
  }
  const local = new Set(input.localHosts.map(normaliseLocalHost));
  const useShared = input.useSharedInbox ?? true;
  const cache = new Map<string, Parsed>();
  const chosen = new Map<string, FanOutDestination>();
  const rejected: RejectedEndpoint[] = [];
  let skippedLocal = 0;

  const add = (url: string, shared: boolean, actorId?: string): void => {
    let parsed = cache.get(url);
    if (parsed === undefined) {
      parsed = parseInbox(url);
      cache.set(url, parsed);
    }
    if (!parsed.ok) {
      rejected.push({ url, reason: parsed.reason, ...(actorId === undefined ? {} : { actorId }) });
    } else if (local.has(parsed.host)) {
      skippedLocal++;
    } else if (!chosen.has(parsed.inbox)) {
      chosen.set(parsed.inbox, { inbox: parsed.inbox, host: parsed.host, shared });
    }
  };

  for (const follower of input.followers) {
    const shared = useShared && typeof follower.sharedInbox === 'string' && follower.sharedInbox !== '';
    add(shared ? (follower.sharedInbox as string) : follower.inbox, shared, follower.actorId);
  }
  for (const inbox of input.explicitInboxes ?? []) add(inbox, false);

  const destinations = [...chosen.values()].sort(compareDestinations);
  return { destinations, byHost: groupByHost(destinations), skippedLocal, rejected };
}

function parseInbox(raw: string): Parsed {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'unparseable' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'unsupported-scheme' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials-in-url' };
  url.hash = '';
  stripTrailingDot(url);
  return { ok: true, inbox: url.href, host: url.host };
}

// "example.com." and "example.com" are the same server.
function stripTrailingDot(url: URL): void {
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
}

function normaliseLocalHost(value: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DeliveryDomainError('INVALID_INPUT', 'localHosts entries must be non-empty strings');
  }
  try {
    const url = new URL(value.includes('://') ? value : `https://${value.trim()}`);
    stripTrailingDot(url);
    return url.host;
  } catch {
    throw new DeliveryDomainError('INVALID_INPUT', `localHosts entry is not a host or origin: ${value}`);
  }
}

function compareDestinations(a: FanOutDestination, b: FanOutDestination): number {
  if (a.host !== b.host) return a.host < b.host ? -1 : 1;
  return a.inbox < b.inbox ? -1 : a.inbox > b.inbox ? 1 : 0;
}

function groupByHost(sorted: readonly FanOutDestination[]): FanOutHostGroup[] {
  const groups: { host: string; destinations: FanOutDestination[] }[] = [];
  for (const destination of sorted) {
    const last = groups.at(-1);
    if (last !== undefined && last.host === destination.host) last.destinations.push(destination);
    else groups.push({ host: destination.host, destinations: [destination] });
  }
  return groups;
}
