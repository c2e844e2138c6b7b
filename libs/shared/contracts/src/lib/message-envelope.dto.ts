import {
  IsDefined,
  IsISO8601,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  isISO8601,
  isInt,
  isObject,
  isString,
  isUUID,
  length,
  min,
} from 'class-validator';

const MESSAGE_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

interface FieldRule {
  optional?: true;
  /** class-validator decorators: what `validate(new MessageEnvelope())` checks. */
  decorators: PropertyDecorator[];
  /** The same check as a plain function (the decorators' own validator functions). */
  check: (value: unknown) => boolean;
  message: string;
}

/**
 * The envelope's rules, declared once. They become the class-validator decorators of
 * MessageEnvelope below and are also run directly by validateMessage on every received message:
 * class-validator looks up a class's metadata on each call, which costs more than the checks.
 */
export const ENVELOPE_RULES: Readonly<Record<keyof MessageEnvelope, FieldRule>> = {
  id: { decorators: [IsUUID()], check: (v) => isUUID(v), message: 'must be a UUID' },
  type: {
    decorators: [IsString(), Matches(MESSAGE_TYPE)],
    check: (v) => isString(v) && MESSAGE_TYPE.test(v),
    message: 'must be a dotted lower-case name like noun.verb',
  },
  schemaVersion: { decorators: [IsInt(), Min(1)], check: (v) => isInt(v) && min(v, 1), message: 'must be an integer >= 1' },
  traceId: { decorators: [IsString(), Length(1, 128)], check: (v) => isString(v) && length(v, 1, 128), message: 'must be a string of 1-128 characters' },
  createdAt: {
    decorators: [IsISO8601({ strict: true })],
    check: (v) => isISO8601(v, { strict: true }),
    message: 'must be an ISO 8601 date',
  },
  correlationId: {
    optional: true,
    decorators: [IsOptional(), IsString(), Length(1, 128)],
    check: (v) => isString(v) && length(v, 1, 128),
    message: 'must be a string of 1-128 characters',
  },
  replyTo: {
    optional: true,
    decorators: [IsOptional(), IsString(), Length(1, 256)],
    check: (v) => isString(v) && length(v, 1, 256),
    message: 'must be a string of 1-256 characters',
  },
  payload: { decorators: [IsDefined(), IsObject()], check: (v) => isObject(v), message: 'must be an object' },
};

/**
 * The envelope around every stream message. `id` is the idempotency key: it stays the same
 * when a producer retries or a message is replayed, so consumers dedupe on it.
 */
export class MessageEnvelope<P = unknown> {
  id!: string;
  type!: string;
  schemaVersion!: number;
  /** Trace id of the work that caused the message (32 hex digits when generated). */
  traceId!: string;
  /** ISO 8601 creation time. */
  createdAt!: string;
  /** Set on requests (client.send): the reply carries it back. */
  correlationId?: string;
  /** Set on requests: the stream the reply is written to. */
  replyTo?: string;
  payload!: P;
}

const RULE_LIST = Object.entries(ENVELOPE_RULES);

for (const [field, rule] of RULE_LIST) {
  for (const decorate of rule.decorators) decorate(MessageEnvelope.prototype, field);
}

/** Problems of a decoded envelope, as `envelope.<field>: <field> <rule>`; empty when valid. */
export function checkEnvelope(raw: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const [field, rule] of RULE_LIST) {
    const value = raw[field];
    if (value === undefined || value === null) {
      if (!rule.optional) errors.push(`envelope.${field}: ${field} ${rule.message}`);
    } else if (!rule.check(value)) {
      errors.push(`envelope.${field}: ${field} ${rule.message}`);
    }
  }
  return errors;
}
