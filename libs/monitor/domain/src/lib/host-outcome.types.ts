/**
 * What one delivery attempt says about the remote host (mapping from delivery's classification):
 * - success: 2xx.
 * - failure: no usable answer: timeout, connection/DNS/TLS error, 408, 5xx (503 included).
 * - rejected: a permanent 3xx/4xx answer: the host is up, it just refused this one activity.
 * - rate-limited: 429: the host is up but wants us slower; neither a success nor a failure.
 */
export type HostOutcome = 'success' | 'failure' | 'rejected' | 'rate-limited';

export const HOST_OUTCOMES: readonly HostOutcome[] = ['success', 'failure', 'rejected', 'rate-limited'];
