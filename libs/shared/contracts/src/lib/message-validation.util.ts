import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { type StreamContract } from './define-stream.util';
import { MessageEnvelope, checkEnvelope } from './message-envelope.dto';

export interface EnvelopeOptions {
  /** Reuse an id to make a retry or a re-publication idempotent; a new UUID otherwise. */
  id?: string;
  /** Trace id of the work that caused this message; a new W3C-style id otherwise. */
  traceId?: string;
  createdAt?: Date;
  correlationId?: string;
  replyTo?: string;
}

export type MessageValidationResult<P> =
  | { ok: true; envelope: MessageEnvelope<P>; payload: P }
  | { ok: false; errors: string[] };

/**
 * Builds the envelope a producer writes for `contract`. Caller-given ids are checked here, so an
 * envelope is valid by construction and producers only need to validate the payload.
 */
/** Any RFC 9562 UUID, as class-validator's isUUID accepts; a regex is cheaper on the inbox's hot path. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createEnvelope<P extends object>(
  contract: StreamContract<P>,
  payload: P,
  options: EnvelopeOptions = {},
): MessageEnvelope<P> {
  if (options.id !== undefined && !UUID.test(options.id)) throw new Error(`createEnvelope: id "${options.id}" is not a UUID`);
  checkLength('traceId', options.traceId);
  checkLength('correlationId', options.correlationId);
  if (options.createdAt !== undefined && Number.isNaN(options.createdAt.getTime())) throw new Error('createEnvelope: createdAt is an invalid date');
  const envelope = new MessageEnvelope<P>();
  envelope.id = options.id ?? randomUUID();
  envelope.type = contract.type;
  envelope.schemaVersion = contract.schemaVersion;
  // 32 hex digits like a W3C trace id; randomUUID draws from a cached entropy pool, randomBytes does not.
  envelope.traceId = options.traceId ?? randomUUID().replaceAll('-', '');
  envelope.createdAt = (options.createdAt ?? new Date()).toISOString();
  if (options.correlationId !== undefined) envelope.correlationId = options.correlationId;
  if (options.replyTo !== undefined) envelope.replyTo = options.replyTo;
  envelope.payload = payload;
  return envelope;
}

/**
 * Validates a decoded message against its contract: the envelope's shape, that its type is the
 * contract's and its schema version one the contract understands (<= contract.schemaVersion),
 * then the payload with the contract's class. Returns every problem found, never throws.
 */
export function validateMessage<P extends object>(
  contract: StreamContract<P>,
  raw: unknown,
): MessageValidationResult<P> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: ['envelope: must be a JSON object'] };
  }
  const errors = checkEnvelope(raw as Record<string, unknown>);
  if (errors.length > 0) return { ok: false, errors };
  const envelope = Object.assign(new MessageEnvelope<P>(), raw);
  if (envelope.type !== contract.type) {
    errors.push(`envelope.type: expected "${contract.type}" on ${contract.stream}, got "${envelope.type}"`);
  }
  if (envelope.schemaVersion > contract.schemaVersion) {
    errors.push(
      `envelope.schemaVersion: ${envelope.schemaVersion} is newer than ${contract.schemaVersion}, the highest ${contract.stream} understands`,
    );
  }
  const payload = validatePayload(contract, envelope.payload);
  if (!payload.ok) errors.push(...payload.errors);
  if (!payload.ok || errors.length > 0) return { ok: false, errors };
  envelope.payload = payload.payload;
  return { ok: true, envelope, payload: payload.payload };
}

/** Validates a payload (plain or an instance) with the contract's class; returns it as that class. */
export function validatePayload<P extends object>(
  contract: StreamContract<P>,
  raw: unknown,
): { ok: true; payload: P } | { ok: false; errors: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: ['payload: must be an object'] };
  const payload = raw instanceof contract.payload ? raw : plainToInstance(contract.payload, raw);
  const errors = flattenErrors(validateSync(payload, { forbidUnknownValues: true }), 'payload');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, payload };
}

function checkLength(field: string, value: string | undefined): void {
  if (value !== undefined && (value.length < 1 || value.length > 128)) throw new Error(`createEnvelope: ${field} must have 1-128 characters`);
}

function flattenErrors(errors: ValidationError[], path: string): string[] {
  return errors.flatMap((error) => {
    const here = `${path}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => `${here}: ${message}`);
    return [...own, ...flattenErrors(error.children ?? [], here)];
  });
}
