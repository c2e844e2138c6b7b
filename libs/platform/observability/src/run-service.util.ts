import { ConfigValidationError } from '@peerfed/platform/config';
import { JsonLogger, serializeError } from './json-logger.service';
import { type ExitFunction } from './shutdown.service';

/**
 * Entry point of every main.ts: starts the service and, if start-up fails, writes ONE fatal log
 * line and exits with code 1. A configuration error is an operator's mistake, so its line names
 * the variables and carries no stack trace.
 */
export function runService(name: string, start: () => Promise<unknown>, exit: ExitFunction = (code) => process.exit(code)): Promise<void> {
  return start().then(
    () => undefined,
    (error: unknown) => {
      const logger = new JsonLogger({ service: name, level: 'info' });
      if (error instanceof ConfigValidationError) {
        logger.fatal({ msg: error.message, problems: error.problems }, 'Bootstrap');
      } else {
        const err = error instanceof Error ? serializeError(error) : { name: 'Error', message: String(error) };
        logger.fatal({ msg: `start-up failed: ${err.message}`, err }, 'Bootstrap');
      }
      exit(1);
    },
  );
}
