import { type IngressSettings } from '@peerfed/ingress/data-access';
import { type IngressEnv } from './ingress-env.dto';

/** The ingress libraries' settings from the validated env. */
export function ingressSettingsFrom(env: IngressEnv): IngressSettings {
  return {
    publicUrl: new URL(env.PUBLIC_URL).origin,
    software: {
      name: env.SOFTWARE_NAME,
      version: env.SOFTWARE_VERSION,
      repository: env.SOFTWARE_REPOSITORY,
      homepage: env.SOFTWARE_REPOSITORY,
    },
    keyEncryptionKey: env.KEY_ENCRYPTION_KEY,
    allowLoopbackPeers: env.ALLOW_LOOPBACK_PEERS,
    allowHttpPeers: env.ALLOW_HTTP_PEERS,
    fetchTimeoutMs: env.FETCH_TIMEOUT_MS,
    fetchMaxBytes: env.FETCH_MAX_BYTES,
    inboxMaxBodyBytes: env.INBOX_MAX_BODY_BYTES,
    maxClockSkewSeconds: env.MAX_CLOCK_SKEW_SECONDS,
    seenActivityTtlSeconds: env.SEEN_ACTIVITY_TTL_SECONDS,
    blockedDomains: (env.BLOCKED_DOMAINS ?? '')
      .split(',')
      .map((domain) => domain.trim().toLowerCase())
      .filter((domain) => domain.length > 0),
    seedDemoData: env.NODE_ENV === 'development',
    rateLimits: { actorPerHour: env.RATE_LIMIT_ACTOR_PER_HOUR, outboxPerHour: env.RATE_LIMIT_OUTBOX_PER_HOUR },
  };
}
