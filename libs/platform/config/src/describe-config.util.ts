import { isSecret, MASK, maskUrlCredentials } from './mask.util';

export type ConfigDescription = Record<string, unknown>;

/** The config as it may be logged: @Secret() fields replaced by ***, passwords in URLs masked. */
export function describeConfig(config: object): ConfigDescription {
  const description: ConfigDescription = {};
  for (const [key, value] of Object.entries(config)) {
    description[key] = isSecret(config, key) ? (value === undefined ? undefined : MASK) : maskDeep(value);
  }
  return description;
}

function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskUrlCredentials(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  return value;
}
