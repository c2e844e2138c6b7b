import { type LoggerService } from '@nestjs/common';
import { type LogLevelName } from '@peerfed/platform/config';
import { currentRequestContext } from './request-context.util';

export type LogRecordLevel = Exclude<LogLevelName, 'silent'>;

const SEVERITY: Record<LogLevelName, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const RESERVED = new Set(['time', 'level', 'service']);
// "Error: message\n    at fn (file.js:1:2)": how Nest passes a stack as a plain string.
const STACK_FORMAT = /^(.)+\n\s+at .+:\d+:\d+/;

export interface JsonLoggerOptions {
  readonly service: string;
  readonly level: LogLevelName;
  /** Where lines go; stdout by default. */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/**
 * Nest LoggerService writing one JSON object per line: time, level, service, context, msg,
 * reqId / traceId of the current request (AsyncLocalStorage), structured fields and err.
 * Accepts Nest's calling conventions: log(message, context), error(message, stack, context),
 * and an object or an Error as the message.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;
  private readonly write: (line: string) => void;
  private readonly now: () => Date;

  constructor(private readonly options: JsonLoggerOptions) {
    this.threshold = SEVERITY[options.level];
    this.write = options.write ?? ((line) => process.stdout.write(line));
    this.now = options.now ?? (() => new Date());
  }

  isEnabled(level: LogRecordLevel): boolean {
    return SEVERITY[level] >= this.threshold;
  }

  log(message: unknown, ...params: unknown[]): void {
    this.emit('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('fatal', message, params);
  }

  private emit(level: LogRecordLevel, message: unknown, params: unknown[]): void {
    if (!this.isEnabled(level)) return;
    const rest = [...params];
    const context = takeContext(rest);
    const request = currentRequestContext();
    const record: Record<string, unknown> = {
      time: this.now().toISOString(),
      level,
      service: this.options.service,
      context,
      msg: undefined,
      reqId: request?.reqId,
      traceId: request?.traceId,
    };
    let err: SerializedError | undefined;
    if (message instanceof Error) {
      record['msg'] = message.message;
      err = serializeError(message);
    } else if (isPlainObject(message)) {
      const { msg, message: text, err: cause, ...fields } = message;
      record['msg'] = typeof msg === 'string' ? msg : typeof text === 'string' ? text : undefined;
      for (const [key, value] of Object.entries(fields)) if (!RESERVED.has(key)) record[key] = value;
      if (cause instanceof Error) err = serializeError(cause);
    } else {
      record['msg'] = String(message);
    }
    for (const param of rest) {
      if (param instanceof Error) err = serializeError(param);
      else if (typeof param === 'string' && level === 'error' && STACK_FORMAT.test(param)) err = { ...(err ?? { name: 'Error', message: String(record['msg']) }), stack: param };
      else if (isPlainObject(param)) Object.assign(record, withoutReserved(param));
    }
    if (err) record['err'] = err;
    this.write(`${JSON.stringify(record, replacer)}\n`);
  }
}

/** Nest passes the context as the last string argument; a stack trace is not a context. */
function takeContext(params: unknown[]): string | undefined {
  const last = params.at(-1);
  if (typeof last === 'string' && !STACK_FORMAT.test(last)) {
    params.pop();
    return last;
  }
  if (last === undefined && params.length > 0) params.pop();
  return undefined;
}

export function serializeError(error: Error): SerializedError {
  return { name: error.name, message: error.message, stack: error.stack };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}

function withoutReserved(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !RESERVED.has(key)));
}

// BigInts and Errors nested in fields would otherwise throw or serialise as {}.
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return serializeError(value);
  return value;
}
