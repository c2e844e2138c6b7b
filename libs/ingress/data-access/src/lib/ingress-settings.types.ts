/**
 * The ingress libraries' view of the service configuration. The app provides it from its
 * validated env (IngressEnv); the libraries never read the environment themselves.
 * An abstract class, so it serves as its own injection token.
 */
export abstract class IngressSettings {
  /** Origin remote servers see, without a trailing slash (every id derives from it). */
  abstract readonly publicUrl: string;
  abstract readonly software: { readonly name: string; readonly version: string; readonly repository: string; readonly homepage: string };
  /** KEY_ENCRYPTION_KEY: seals local actors' private keys. */
  abstract readonly keyEncryptionKey: string;
  /** Remote fetches may reach loopback addresses (development and tests only; never private ranges). */
  abstract readonly allowLoopbackPeers: boolean;
  /** Remote fetches may use plain http (development and tests only). */
  abstract readonly allowHttpPeers: boolean;
  abstract readonly fetchTimeoutMs: number;
  abstract readonly fetchMaxBytes: number;
  /** Largest inbox body accepted (413 above). */
  abstract readonly inboxMaxBodyBytes: number;
  /** Accepted distance of Date / created from now, both directions. */
  abstract readonly maxClockSkewSeconds: number;
  /** How long an accepted activity id is remembered (a replay within it is not queued again). */
  abstract readonly seenActivityTtlSeconds: number;
  /** Lower-case domains whose actors are refused (subdomains included). */
  abstract readonly blockedDomains: readonly string[];
  /** Create the demo actors (alice, bob, Group demo) when no local actor exists. */
  abstract readonly seedDemoData: boolean;
  /** Public rate limits per IP and endpoint class, requests per hour. */
  abstract readonly rateLimits: { readonly actorPerHour: number; readonly outboxPerHour: number };
}
