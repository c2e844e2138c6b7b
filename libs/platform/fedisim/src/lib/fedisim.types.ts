// Public types of the fediverse simulator. Behaviours are plain data so that a test can
// build, log and reuse them; the state of a scripted sequence lives in a BehaviourPlan.

/** How an inbox answers a POST whose signature verified. */
export type Behaviour =
  | { readonly kind: 'ok' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'fail'; readonly status: number }
  | { readonly kind: 'rateLimited'; readonly retryAfter: RetryAfter }
  | { readonly kind: 'serviceUnavailable'; readonly retryAfter?: RetryAfter }
  | { readonly kind: 'gone' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'sequence'; readonly steps: readonly Behaviour[]; readonly then: Behaviour };

/** Seconds (delta-seconds) or an absolute time (sent as an HTTP-date). */
export type RetryAfter = number | Date;

/**
 * The answer given: an HTTP status, a reset connection, no answer at all (hang), or `abandoned`
 * when the client closed the connection before a slow answer was due.
 */
export type Outcome = number | 'reset' | 'hang' | 'abandoned';

export type SignatureScheme = 'draft-cavage' | 'rfc9421';

/** One inbox POST that passed the signature check. */
export interface DeliveryRecord {
  /** Global arrival number, starting at 1 (arrival order across all instances). */
  readonly seq: number;
  /** Instance name, e.g. `sim0`. */
  readonly instance: string;
  /** Instance host, e.g. `127.0.0.1:41234`. */
  readonly host: string;
  /** Request path of the inbox, e.g. `/inbox` or `/users/user0/inbox`. */
  readonly inbox: string;
  readonly sharedInbox: boolean;
  readonly activityId: string;
  readonly type: string;
  /** `object` as an id (string objects as they are, embedded objects by their `id`). */
  readonly objectId: string | undefined;
  readonly actor: string | undefined;
  readonly keyId: string;
  /** True when the keyId (without fragment) is the activity's actor. */
  readonly actorMatchesKey: boolean;
  readonly scheme: SignatureScheme;
  /** Always true: requests whose signature fails go to signatureFailures instead. */
  readonly signatureOk: true;
  /** Epoch milliseconds when the body had been read. */
  readonly receivedAt: number;
  /** The answer chosen by the behaviour (a 2xx status means accepted). */
  readonly outcome: Outcome;
  readonly accepted: boolean;
  readonly activity: Readonly<Record<string, unknown>>;
}

/** One inbox POST that was rejected before its behaviour was applied. */
export interface RejectionRecord {
  readonly seq: number;
  readonly instance: string;
  readonly host: string;
  readonly inbox: string;
  /** `signature` (answered 401), `malformed` (400), `too-large` (413). */
  readonly kind: 'signature' | 'malformed' | 'too-large';
  readonly keyId: string | undefined;
  readonly reason: string;
  readonly receivedAt: number;
}

export interface DeliveryFilter {
  readonly instance?: string;
  readonly host?: string;
  readonly inbox?: string;
  readonly sharedInbox?: boolean;
  readonly activityId?: string;
  readonly type?: string;
  readonly objectId?: string;
  readonly keyId?: string;
  readonly accepted?: boolean;
}

export interface RejectionFilter {
  readonly instance?: string;
  readonly inbox?: string;
  readonly kind?: RejectionRecord['kind'];
  readonly keyId?: string;
}

export interface InstanceStats {
  /** Inbox POSTs whose signature verified (any outcome). */
  readonly received: number;
  /** Of those, answered with a 2xx status. */
  readonly accepted: number;
  readonly signatureFailures: number;
  readonly malformed: number;
  readonly tooLarge: number;
  /** Inbox POSTs being handled right now. */
  readonly inFlight: number;
  /** Highest number of inbox POSTs handled at the same time since the last reset. */
  readonly maxConcurrent: number;
  /** Received (verified) POSTs per inbox path. */
  readonly byInbox: Readonly<Record<string, number>>;
  /** GETs of documents (WebFinger, actors, keys, collections, NodeInfo). */
  readonly documentGets: number;
}

export interface KeyPairPem {
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

/** How actors get their RSA-2048 keys; generating one costs about 150 ms on the reference machine. */
export type KeyMode = 'per-actor' | 'shared';

export interface FediverseOptions {
  /** Number of instances (1..500). */
  readonly instances: number;
  /** Users per instance (0..10000), named user0, user1, ... Default 1. */
  readonly usersPerInstance?: number;
  /** Explicit usernames for every instance (overrides usersPerInstance). */
  readonly usernames?: readonly string[];
  /** Advertise and serve a shared inbox at /inbox. Default true. */
  readonly sharedInbox?: boolean;
  /** Maximum request body (bytes); larger bodies get 413. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Allowed difference between the request Date (or RFC 9421 `created`) and the simulator clock,
   * in seconds, both directions. Default 300.
   */
  readonly maxClockSkewSeconds?: number;
  /**
   * `per-actor` (default): every actor gets its own key, generated lazily on first use.
   * `shared`: one lazily generated key for all actors (distinct keyIds), for large benchmarks.
   */
  readonly keyMode?: KeyMode;
  /** Initial behaviour of every inbox. Default ok (202). */
  readonly behaviour?: Behaviour;
  /** Timeout of outgoing key fetches and signed requests, in ms. Default 5000. */
  readonly requestTimeoutMs?: number;
  /** Sign key fetches with the instance actor (draft-cavage), as Mastodon does. Default true. */
  readonly signKeyFetches?: boolean;
  /** Delivery records kept for queries, about 1 KB each (counters stay exact beyond it). Default 100000. */
  readonly maxRecords?: number;
}

export interface SignOptions {
  readonly scheme?: SignatureScheme;
  /** Date to sign (default now): lets a test produce a stale request. */
  readonly date?: Date;
  /** Extra headers sent (and not signed unless the scheme signs them). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}
