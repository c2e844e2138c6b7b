import { parseRetryAfter } from '../retry/parse-retry-after.util';
import { requireFinite } from '../input.util';
import { DeliveryDomainError } from '../delivery-domain.exception';

export interface OutcomeInput {
  /** HTTP status of the response, when one arrived. Wins over `error`. */
  readonly status?: number;
  /** What the HTTP client threw when no response arrived (Node/undici errors, wrapped in `cause` or not). */
  readonly error?: unknown;
  /** Raw Retry-After header; used only with 429 and 503. */
  readonly retryAfter?: string | null;
  /** Needed to turn an HTTP-date Retry-After into a delay. */
  readonly now?: number;
}

/**
 * Bounded label for metrics: `none`, `http_<status>`, or one of the transport classes.
 * TLS errors are retried: expired or misissued certificates are usually fixed within hours,
 * and the circuit breaker keeps a broken host from being hammered meanwhile.
 */
export type TransportErrorClass =
  | 'timeout'
  | 'connection_reset'
  | 'connection_refused'
  | 'network_unreachable'
  | 'dns'
  | 'tls'
  | 'aborted'
  | 'invalid_destination'
  | 'unknown_error';

export type OutcomeClassification =
  | { readonly kind: 'delivered'; readonly errorClass: 'none'; readonly status: number }
  | {
      readonly kind: 'retry';
      readonly errorClass: string;
      readonly status?: number;
      /** 429: the host is fine but wants us slower; the circuit breaker must not count it as a failure. */
      readonly rateLimited: boolean;
      readonly retryAfterMs?: number;
    }
  | {
      readonly kind: 'permanent';
      readonly errorClass: string;
      readonly status?: number;
      /** 410 Gone: the recipient actor is gone; the caller should drop it as a follower. */
      readonly actorGone: boolean;
    };

/** Codes our own HTTP client raises for a destination it refuses to contact (SSRF guard, bad URL). */
export const PERMANENT_ERROR_CODES: readonly string[] = ['ERR_SSRF_BLOCKED', 'ERR_INVALID_URL'];

const ERROR_CODE_CLASSES: Readonly<Record<string, TransportErrorClass>> = {
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  ECONNREFUSED: 'connection_refused',
  EHOSTUNREACH: 'network_unreachable',
  ENETUNREACH: 'network_unreachable',
  EHOSTDOWN: 'network_unreachable',
  ENETDOWN: 'network_unreachable',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EPROTO: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  HOSTNAME_MISMATCH: 'tls',
  UND_ERR_ABORTED: 'aborted',
  ...Object.fromEntries(PERMANENT_ERROR_CODES.map((code) => [code, 'invalid_destination' as const])),
};
const TLS_CODE_PREFIXES = ['ERR_TLS_', 'ERR_SSL_', 'CERT_', 'UNABLE_TO_'];
const ERROR_NAME_CLASSES: Readonly<Record<string, TransportErrorClass>> = {
  TimeoutError: 'timeout',
  ConnectTimeoutError: 'timeout',
  HeadersTimeoutError: 'timeout',
  BodyTimeoutError: 'timeout',
  AbortError: 'aborted',
};
// undici wraps the socket error: TypeError('fetch failed', { cause }). Follow a few causes, not a cycle.
const MAX_CAUSE_DEPTH = 5;

/**
 * delivered (2xx) | retry (408, 429, 5xx, transport errors) | permanent (other 3xx/4xx, refused destinations).
 * 3xx is permanent: the signature covers the path, so we do not follow redirects, and an inbox that
 * redirects keeps doing so. 1xx and >= 600 are protocol violations and are retried like a 5xx.
 */
export function classifyOutcome(input: OutcomeInput): OutcomeClassification {
  const { status } = input;
  if (status !== undefined) {
    if (!Number.isInteger(status) || status < 100 || status > 999) {
      throw new DeliveryDomainError('INVALID_INPUT', `status must be an HTTP status code, got ${String(status)}`);
    }
    return classifyStatus(status, input);
  }
  if (input.error === undefined || input.error === null) {
    throw new DeliveryDomainError('INVALID_INPUT', 'classifyOutcome needs a status or an error');
  }
  const errorClass = classifyError(input.error);
  return errorClass === 'invalid_destination'
    ? { kind: 'permanent', errorClass, actorGone: false }
    : { kind: 'retry', errorClass, rateLimited: false };
}

function classifyStatus(status: number, input: OutcomeInput): OutcomeClassification {
  const errorClass = `http_${status}`;
  if (status >= 200 && status < 300) return { kind: 'delivered', errorClass: 'none', status };
  if (status === 429 || status === 503) {
    const retryAfterMs = retryAfterFrom(input);
    return { kind: 'retry', errorClass, status, rateLimited: status === 429, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status === 408 || status >= 500 || status < 200) return { kind: 'retry', errorClass, status, rateLimited: false };
  return { kind: 'permanent', errorClass, status, actorGone: status === 410 };
}

function retryAfterFrom(input: OutcomeInput): number | undefined {
  if (input.retryAfter === undefined || input.retryAfter === null) return undefined;
  return parseRetryAfter(input.retryAfter, requireFinite('now (needed with retryAfter)', input.now));
}

/** The transport class of a thrown error, looking through `cause` chains. */
export function classifyError(error: unknown): TransportErrorClass {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const found = classifyOne(current);
    if (found !== undefined) return found;
    current = (current as { cause?: unknown }).cause;
  }
  return 'unknown_error';
}

function classifyOne(error: object): TransportErrorClass | undefined {
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === 'string') {
    if (Object.hasOwn(ERROR_CODE_CLASSES, code)) return ERROR_CODE_CLASSES[code];
    if (TLS_CODE_PREFIXES.some((prefix) => code.startsWith(prefix))) return 'tls';
  }
  if (typeof name === 'string' && Object.hasOwn(ERROR_NAME_CLASSES, name)) return ERROR_NAME_CLASSES[name];
  return undefined;
}
