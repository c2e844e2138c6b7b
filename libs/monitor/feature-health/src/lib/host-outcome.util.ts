import { type HostOutcome } from '@peerfed/monitor/domain';
import { type DeliveryOutcomePayload } from '@peerfed/shared/contracts';

/**
 * How one reported delivery attempt counts for the host (see the monitor-domain README table):
 * 2xx success; 429 rate-limited (never a failure); other 3xx/4xx answers rejected (the host is up);
 * 5xx, 408 and no answer at all failure. Deferred tasks (circuit open) and destinations refused
 * before any request was sent are not about the host: null.
 */
export function hostOutcomeOf(payload: Pick<DeliveryOutcomePayload, 'outcome' | 'statusCode' | 'errorClass'>): HostOutcome | null {
  if (payload.outcome === 'deferred') return null;
  if (payload.outcome === 'delivered') return 'success';
  const status = payload.statusCode;
  if (status === 429) return 'rate-limited';
  if (status === undefined) return payload.errorClass === 'invalid_destination' ? null : 'failure';
  if (status >= 500 || status === 408) return 'failure';
  if (status >= 300) return 'rejected';
  // A 1xx/2xx reported as not delivered is a broken answer from the host.
  return 'failure';
}
