import { type DeadLetter } from '@peerfed/platform/streams';

export interface DeadLetterFilter {
  /** Consumer group it failed in. */
  readonly group?: string;
  /** Why it died: invalid, handler-error, max-deliveries. */
  readonly failure?: string;
  /** Envelope message type, e.g. delivery.task. */
  readonly type?: string;
  /** Destination host named by the payload (`host`, or the host of `inboxUrl` / `inbox`). */
  readonly host?: string;
}

/** The remote host a dead letter is about, if its payload names one. */
export function hostOf(deadLetter: DeadLetter): string | null {
  const payload = deadLetter.envelope?.payload;
  if (typeof payload !== 'object' || payload === null) return null;
  const fields = payload as Record<string, unknown>;
  if (typeof fields['host'] === 'string') return fields['host'].toLowerCase();
  for (const name of ['inboxUrl', 'inbox']) {
    const value = fields[name];
    if (typeof value !== 'string') continue;
    try {
      return new URL(value).host.toLowerCase();
    } catch {
      // not a URL: try the next field
    }
  }
  return null;
}

export function matchesFilter(deadLetter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.group !== undefined && deadLetter.group !== filter.group) return false;
  if (filter.failure !== undefined && deadLetter.reason !== filter.failure) return false;
  if (filter.type !== undefined && deadLetter.envelope?.type !== filter.type) return false;
  if (filter.host !== undefined && hostOf(deadLetter) !== filter.host.toLowerCase()) return false;
  return true;
}
