// `npm start`: runs the whole platform locally. See tools/local/README.md.
import { findRepoRoot, readLocalConfig } from './lib/local-config.util';
import { LocalStackException } from './lib/local-stack.exception';
import { LocalStack } from './lib/local-stack.service';
import { buildServiceSpecs, serviceEntryPoints } from './lib/local-services.util';

async function main(): Promise<number> {
  const config = readLocalConfig(process.env, findRepoRoot(__dirname));
  const entries = serviceEntryPoints(config.repoRoot);
  const stack = new LocalStack({ config, services: (urls) => buildServiceSpecs(config, urls, entries) });
  process.on('SIGINT', () => stack.requestStop(0));
  process.on('SIGTERM', () => stack.requestStop(0));
  return stack.run();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof LocalStackException ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
