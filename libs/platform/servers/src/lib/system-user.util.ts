import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** An unprivileged account that a server runs as when this process is root. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Looks the account up with `id`, creating it as a system user (root only) when it is missing. */
export function ensureSystemUser(name: string, log: (message: string) => void = () => undefined): SystemUser {
  if (!/^[a-z_][a-z0-9_-]*$/.test(name)) throw new Error(`Invalid user name: ${name}`);
  const existing = lookupUser(name);
  if (existing) return existing;
  if (!isRoot()) throw new Error(`User ${name} does not exist, and only root can create it`);
  log(`creating system user ${name}`);
  // --user-group fails when a group of that name already exists; join that group then.
  const groupArgs = groupExists(name) ? ['-g', name] : ['--user-group'];
  execFileSync('useradd', ['--system', ...groupArgs, '--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: 'pipe' });
  const created = lookupUser(name);
  if (!created) throw new Error(`useradd reported success but user ${name} is still unknown`);
  return created;
}

function lookupUser(name: string): SystemUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

function groupExists(name: string): boolean {
  try {
    execFileSync('getent', ['group', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Gives `path` (not recursively) to the user, when it is not theirs already. */
export function chownToUser(path: string, user: SystemUser): void {
  const stat = statSync(path);
  if (stat.uid !== user.uid || stat.gid !== user.gid) chownSync(path, user.uid, user.gid);
}

/**
 * Adds search (x) permission on every ancestor of `path` that `user` could not traverse.
 * mkdtemp-style 0700 parents otherwise make initdb fail with a bare "Permission denied".
 * Only the x bit is added: directory listings stay private.
 */
export function ensureTraversable(path: string, user: SystemUser, log: (message: string) => void = () => undefined): void {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const stat = statSync(dir);
    const mode = stat.mode & 0o7777;
    const canSearch =
      (stat.uid === user.uid && (mode & 0o100) !== 0) || (stat.gid === user.gid && (mode & 0o010) !== 0) || (mode & 0o001) !== 0;
    if (!canSearch) {
      log(`adding search permission to ${dir} so that user ${user.name} can reach ${path}`);
      chmodSync(dir, mode | 0o011);
    }
    if (dir === dirname(dir)) break;
  }
}
