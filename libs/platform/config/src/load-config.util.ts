import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { type ConfigProblem, ConfigValidationError } from './config-validation.exception';
import { isSecret, maskValue } from './mask.util';

export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * The one place that reads the process environment (lint forbids process.env elsewhere).
 * `overrides` win over the real environment; tests use them to boot an app on port 0.
 */
export function readEnvironment(overrides: EnvSource = {}): EnvSource {
  return { ...process.env, ...overrides };
}

/**
 * Builds the typed, validated and frozen config of a service from `env`.
 * Only variables declared (with a rule decorator) on `envClass` are read; empty strings count as unset.
 * Throws ConfigValidationError naming every invalid variable at once.
 */
export function loadConfig<T extends object>(envClass: new () => T, env: EnvSource = readEnvironment()): Readonly<T> {
  const source: Record<string, string | undefined> = {};
  for (const name of declaredVariables(envClass)) {
    const raw = env[name];
    source[name] = raw === '' ? undefined : raw;
  }
  // exposeUnsetFields=false keeps the class's default when a variable is unset.
  const config = plainToInstance(envClass, source, { enableImplicitConversion: true, exposeUnsetFields: false });
  const errors = validateSync(config, { stopAtFirstError: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(errors.map((error) => toProblem(error, source, config)));
  }
  return Object.freeze(config);
}

function declaredVariables(envClass: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(envClass, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

function toProblem(error: ValidationError, source: EnvSource, config: object): ConfigProblem {
  const reason = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
  const raw = source[error.property];
  return raw === undefined
    ? { variable: error.property, reason }
    : { variable: error.property, reason, value: maskValue(raw, isSecret(config, error.property)) };
}
