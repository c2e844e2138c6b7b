import { execFileSync } from 'node:child_process';
import { findExecutable, isRoot } from '@peerfed/platform/servers';
import { LocalStackException } from './local-stack.exception';

export interface RedisInstallDeps {
  find: (name: string) => string | undefined;
  isRoot: () => boolean;
  /** Runs a command with inherited stdio; throws on a non-zero exit. */
  run: (command: string, args: readonly string[]) => void;
  log: (line: string) => void;
}

export const REDIS_INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y redis-server';

const defaultDeps: Omit<RedisInstallDeps, 'log'> = {
  find: findExecutable,
  isRoot,
  run: (command, args) => {
    execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  },
};

/**
 * Makes sure redis-server is installed. As root it installs the Debian package itself (saying
 * so); otherwise it stops with the one command to run.
 */
export function ensureRedisServerInstalled(log: (line: string) => void, deps: Partial<RedisInstallDeps> = {}): string {
  const { find, isRoot: root, run } = { ...defaultDeps, ...deps };
  const found = find('redis-server');
  if (found) return found;
  if (!root()) {
    throw new LocalStackException(`redis-server is not installed. Install it with:\n\n  ${REDIS_INSTALL_COMMAND}\n\nor set REDIS_URL to a Redis you run yourself.`);
  }
  log('redis-server is not installed; installing it: apt-get update && apt-get install -y redis-server');
  try {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', 'redis-server']);
  } catch (error) {
    throw new LocalStackException(`Installing redis-server failed (${error instanceof Error ? error.message : String(error)}). Install it yourself or set REDIS_URL.`);
  }
  const installed = find('redis-server');
  if (!installed) throw new LocalStackException('apt-get finished but redis-server is still not on PATH. Install it yourself or set REDIS_URL.');
  return installed;
}
