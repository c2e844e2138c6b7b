import { ensureRedisServerInstalled, REDIS_INSTALL_COMMAND } from './redis-install.util';

describe('ensureRedisServerInstalled', () => {
  it('does nothing when redis-server is on PATH', () => {
    const run = jest.fn();
    expect(ensureRedisServerInstalled(() => undefined, { find: () => '/usr/bin/redis-server', isRoot: () => true, run })).toBe('/usr/bin/redis-server');
    expect(run).not.toHaveBeenCalled();
  });

  it('as non-root, stops with the one command to run', () => {
    const run = jest.fn();
    expect(() => ensureRedisServerInstalled(() => undefined, { find: () => undefined, isRoot: () => false, run })).toThrow(REDIS_INSTALL_COMMAND);
    expect(run).not.toHaveBeenCalled();
  });

  it('as root, installs the Debian package, says so, and checks again', () => {
    const log: string[] = [];
    const calls: string[] = [];
    let installed = false;
    const path = ensureRedisServerInstalled((line) => log.push(line), {
      find: () => (installed ? '/usr/bin/redis-server' : undefined),
      isRoot: () => true,
      run: (command, args) => {
        calls.push([command, ...args].join(' '));
        if (args[0] === 'install') installed = true;
      },
    });
    expect(path).toBe('/usr/bin/redis-server');
    expect(calls).toEqual(['apt-get update', 'apt-get install -y redis-server']);
    expect(log.join('\n')).toContain('installing it: apt-get update && apt-get install -y redis-server');
  });

  it('as root, reports a failed install', () => {
    const run = (): void => {
      throw new Error('E: Unable to locate package');
    };
    expect(() => ensureRedisServerInstalled(() => undefined, { find: () => undefined, isRoot: () => true, run })).toThrow(
      /Installing redis-server failed \(E: Unable to locate package\)/,
    );
  });
});
