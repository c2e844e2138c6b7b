// CLI: checks a Peerfed server from outside with an independent ActivityPub implementation
// (Fedify). Usage in README.md; exit 0 only when every step passed.
import { randomBytes } from 'node:crypto';
import { configure, defaultTextFormatter } from '@logtape/logtape';
import { parseInteropArgs, USAGE, type InteropOptions } from './cli-args.mjs';
import { startForeignServer } from './foreign-server.mjs';
import { interopSteps } from './interop-steps.mjs';
import { runSteps } from './report.mjs';
import { createTargetFetch, type Exchange } from './target-fetch.mjs';

const write = (line: string) => process.stdout.write(`${line}\n`);

async function main(options: InteropOptions): Promise<boolean> {
  // Fedify logs through LogTape; its warnings and errors (a failed verification, a refused
  // delivery) are the best evidence when a step fails, so they go to stderr.
  await configure({
    sinks: { stderr: (record) => process.stderr.write(defaultTextFormatter(record)) },
    loggers: [
      { category: 'fedify', sinks: ['stderr'], lowestLevel: options.verbose ? 'debug' : 'warning' },
      { category: ['logtape', 'meta'], sinks: ['stderr'], lowestLevel: 'error' },
    ],
  });
  const exchanges: Exchange[] = [];
  globalThis.fetch = createTargetFetch(globalThis.fetch.bind(globalThis), options.target, (e) => exchanges.push(e));

  // A fresh actor per run: a key cached by the target from an earlier run cannot get in the way.
  const server = await startForeignServer(`probe-${randomBytes(4).toString('hex')}`);
  write(`interop: Fedify probe ${server.actorId.href} -> ${options.handle} on ${options.target.origin}`);
  try {
    const { ok } = await runSteps(interopSteps({ server, exchanges, ...options }), write);
    return ok;
  } finally {
    await server.close();
  }
}

let options: InteropOptions;
try {
  options = parseInteropArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}
main(options).then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(`interop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
