import { randomUUID } from 'node:crypto';

// Accept ids from proxies and clients only if they are short and harmless in logs and headers.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The incoming x-request-id if it is a valid id, otherwise a new UUID. */
export function resolveRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && VALID_REQUEST_ID.test(header) ? header : randomUUID();
}

/** The trace id of a W3C traceparent header, if present and valid (all-zero ids are invalid). */
export function traceIdFrom(traceparent: string | string[] | undefined): string | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const traceId = TRACEPARENT.exec(traceparent.trim().toLowerCase())?.[1];
  return traceId && !/^0+$/.test(traceId) ? traceId : undefined;
}
