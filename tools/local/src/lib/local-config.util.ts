import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalStackException } from './local-stack.exception';

export interface LocalStackConfig {
  repoRoot: string;
  /** Set: use this Postgres. Unset: start one with data under .data/postgres. */
  databaseUrl: string | undefined;
  /** Set: use this Redis. Unset: start one with data under .data/redis. */
  redisUrl: string | undefined;
  pgPort: number;
  redisPort: number;
  publicUrl: string;
  /** Environment handed to every service (the services' own variables are added on top). */
  parentEnv: NodeJS.ProcessEnv;
}

export const DEFAULT_PG_PORT = 55432;
export const DEFAULT_REDIS_PORT = 56379;
export const DEFAULT_PUBLIC_URL = 'http://localhost:3000';

/** Reads and validates the runner's own variables; one error lists every bad one. */
export function readLocalConfig(env: NodeJS.ProcessEnv, repoRoot: string): LocalStackConfig {
  const problems: string[] = [];
  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > 65_535) {
      problems.push(`${name} must be a TCP port (1-65535), got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, protocols: readonly string[]): string | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !protocols.includes(parsed.protocol)) {
      problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
    return raw;
  };
  const config: LocalStackConfig = {
    repoRoot,
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    pgPort: port('PEERFED_LOCAL_PG_PORT', DEFAULT_PG_PORT),
    redisPort: port('PEERFED_LOCAL_REDIS_PORT', DEFAULT_REDIS_PORT),
    publicUrl: url('PUBLIC_URL', ['http:', 'https:']) ?? DEFAULT_PUBLIC_URL,
    parentEnv: env,
  };
  if (problems.length > 0) throw new LocalStackException(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
  return config;
}

/** The workspace root (the nearest dir with nx.json above `from`), so `npm start` works from dist/. */
export function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dir === dirname(dir)) throw new LocalStackException(`Could not find the repository root (nx.json) above ${from}`);
  }
}
