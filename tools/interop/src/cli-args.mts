import { parseArgs } from 'node:util';

export interface InteropOptions {
  /** Origin of the server under test (ingress). */
  readonly target: URL;
  /** The fediverse handle of the Group to follow, `@demo@<target host>` by default. */
  readonly handle: string;
  /** How long to wait for the Accept of our Follow. */
  readonly acceptTimeoutMs: number;
  /** Print Fedify's debug log to stderr (its warnings and errors are always printed). */
  readonly verbose: boolean;
}

export const USAGE = 'usage: node dist/tools/interop/main.mjs [--target http://localhost:3000] [--handle @demo@localhost:3000] [--timeout 30] [--verbose]';

/** Parses the command line; throws an Error whose message is fit for the user. */
export function parseInteropArgs(argv: readonly string[]): InteropOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      target: { type: 'string', default: 'http://localhost:3000' },
      handle: { type: 'string' },
      timeout: { type: 'string', default: '30' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  let target: URL;
  try {
    target = new URL(values.target);
  } catch {
    throw new Error(`--target is not a URL: ${values.target}`);
  }
  if (!['http:', 'https:'].includes(target.protocol) || target.pathname !== '/' || target.search !== '') {
    throw new Error(`--target must be an http(s) origin such as http://localhost:3000, got ${values.target}`);
  }
  const handle = values.handle ?? `@demo@${target.host}`;
  if (!/^@?[^@\s]+@[^@\s]+$/.test(handle)) throw new Error(`--handle must look like @name@host, got ${handle}`);
  const seconds = Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new Error(`--timeout must be 1..600 seconds, got ${values.timeout}`);
  return { target: new URL(target.origin), handle, acceptTimeoutMs: seconds * 1000, verbose: values.verbose };
}
