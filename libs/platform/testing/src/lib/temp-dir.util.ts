import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh directory under os.tmpdir(), mode 0755: mkdtemp's 0700 would stop the unprivileged
 * `postgres` account (used when tests run as root) from reaching anything inside it.
 */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `peerfed-${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Runs `start` with a fresh temp dir; removes the dir when start fails (else its result owns it). */
export async function withTempDir<T>(prefix: string, start: (dir: string) => Promise<T>): Promise<T> {
  const dir = makeTempDir(prefix);
  try {
    return await start(dir);
  } catch (error) {
    removeDir(dir);
    throw error;
  }
}
