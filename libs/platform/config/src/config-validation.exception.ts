/** One invalid environment variable: its name, why it is rejected and the (masked) raw value. */
export interface ConfigProblem {
  readonly variable: string;
  readonly reason: string;
  /** The raw value as read from the environment, already masked; absent when the variable is unset. */
  readonly value?: string;
}

/**
 * Thrown by loadConfig when the environment does not validate. The message names every bad
 * variable at once so that an operator fixes the deployment in one round, not one variable a time.
 */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map(formatProblem).join('; ')}`);
  }
}

function formatProblem(problem: ConfigProblem): string {
  const got = problem.value === undefined ? '' : ` (got ${JSON.stringify(problem.value)})`;
  return `${problem.variable} ${problem.reason}${got}`;
}
