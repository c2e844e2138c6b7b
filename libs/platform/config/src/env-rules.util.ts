import { Transform } from 'class-transformer';
import { Equals, ValidateIf, registerDecorator, type ValidationArguments } from 'class-validator';

// Each rule is ONE validator per variable, so an error names one reason ("must be an integer
// between 1 and 65535"), not the three partial failures class-validator's stock rules would report.

/** Converts the raw environment string itself, whatever implicit conversion made of it. */
function fromRaw(convert: (raw: string) => unknown): PropertyDecorator {
  return Transform(({ key, obj, value }: { key: string; obj: Record<string, unknown>; value: unknown }) => {
    const raw = obj[key];
    return typeof raw === 'string' ? convert(raw) : value;
  });
}

function combine(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

function rule(name: string, test: (value: unknown) => boolean, expectation: string, missing = 'is required'): PropertyDecorator {
  return (target, propertyKey) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyKey),
      validator: {
        validate: (value: unknown) => test(value),
        defaultMessage: (args?: ValidationArguments) => (args?.value === undefined ? missing : expectation),
      },
    });
  };
}

/** Whole numbers only ("2.5", "1e3" and "0x10" are rejected rather than coerced). */
export function IntInRange(min: number, max: number): PropertyDecorator {
  return combine(
    fromRaw((raw) => (/^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : raw)),
    rule(
      'intInRange',
      (value) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
      `must be an integer between ${min} and ${max}`,
    ),
  );
}

export function OneOf(values: readonly string[]): PropertyDecorator {
  return rule('oneOf', (value) => typeof value === 'string' && values.includes(value), `must be one of ${values.join(', ')}`);
}

export function Pattern(pattern: RegExp, expectation: string): PropertyDecorator {
  return rule('pattern', (value) => typeof value === 'string' && pattern.test(value), expectation);
}

/** A URL whose scheme is one of `schemes` (without "://") and which names a host. */
export function ServiceUrl(schemes: readonly string[], missing?: string): PropertyDecorator {
  const expectation = `must be a ${schemes.map((s) => `${s}://`).join(' or ')} URL`;
  return rule('serviceUrl', (value) => typeof value === 'string' && isUrlWithScheme(value, schemes), expectation, missing);
}

function isUrlWithScheme(value: string, schemes: readonly string[]): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return schemes.includes(url.protocol.replace(/:$/, '')) && url.hostname !== '';
}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/** Parses true/false/1/0/yes/no/on/off (implicit conversion would turn "false" into true). */
export function BooleanFlag(): PropertyDecorator {
  return combine(
    fromRaw((raw) => {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      return raw;
    }),
    rule('booleanFlag', (value) => typeof value === 'boolean', 'must be true or false'),
  );
}

const HOST_PORT = /^[A-Za-z0-9.-]+:(\d{1,5})$/;

/** "host:port,host:port" parsed into a list; used for Redis Cluster seed nodes. */
export function HostPortList(): PropertyDecorator {
  return combine(
    fromRaw((raw) => raw.split(',').map((part) => part.trim())),
    rule(
      'hostPortList',
      (value) => Array.isArray(value) && value.length > 0 && value.every(isHostPort),
      'must be a comma-separated list of host:port',
    ),
  );
}

const HOST = /^[a-z0-9.-]+(:\d{1,5})?$/;

/** "a.example, b.example:8443" parsed into lowercase `host[:port]` names; empty means none. */
export function HostList(): PropertyDecorator {
  return combine(
    fromRaw((raw) =>
      raw
        .split(',')
        .map((part) => part.trim().toLowerCase())
        .filter((part) => part.length > 0),
    ),
    rule('hostList', (value) => Array.isArray(value) && value.every((host) => typeof host === 'string' && HOST.test(host)), 'must be a comma-separated list of host names (host or host:port)'),
  );
}

function isHostPort(value: unknown): boolean {
  const port = typeof value === 'string' ? HOST_PORT.exec(value)?.[1] : undefined;
  return port !== undefined && Number(port) >= 1 && Number(port) <= 65535;
}

/**
 * A switch that loosens safety for development and tests: true unless NODE_ENV is production,
 * and refused ("must be false in production") when set to true there.
 */
export function DevelopmentOnlyFlag(): PropertyDecorator {
  // Listed in the order stacked decorators would apply (bottom first), so the default is filled
  // in after the raw word is parsed.
  return combine(
    Equals(false, { message: 'must be false in production' }),
    ValidateIf((env: { NODE_ENV?: unknown }) => env.NODE_ENV === 'production'),
    BooleanFlag(),
    Transform(({ value, obj }: { value: unknown; obj: Record<string, unknown> }) => (value === undefined ? obj['NODE_ENV'] !== 'production' : value)),
  );
}
