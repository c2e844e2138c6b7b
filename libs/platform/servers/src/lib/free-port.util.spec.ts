import { once } from 'node:events';
import { createServer } from 'node:net';
import { assertPort, getFreePort, isPortFree } from './free-port.util';

describe('free ports', () => {
  it('getFreePort returns a port that can be bound, and isPortFree sees it taken once bound', async () => {
    const port = await getFreePort();
    expect(await isPortFree(port)).toBe(true);
    const server = createServer().listen(port, '127.0.0.1');
    await once(server, 'listening');
    try {
      expect(await isPortFree(port)).toBe(false);
    } finally {
      server.close();
    }
  });

  it('honours alsoFreeAt and exclude', async () => {
    const first = await getFreePort({ alsoFreeAt: [10_000] });
    expect(first + 10_000).toBeLessThanOrEqual(65_535);
    expect(await isPortFree(first + 10_000)).toBe(true);
    const second = await getFreePort({ exclude: [first] });
    expect(second).not.toBe(first);
  });

  it('assertPort rejects what is not a TCP port', () => {
    expect(() => assertPort(0, 'Redis port')).toThrow('Redis port must be an integer TCP port between 1 and 65535, got 0');
    expect(() => assertPort(70_000, 'x')).toThrow(/got 70000/);
    expect(() => assertPort(1.5, 'x')).toThrow();
    expect(() => assertPort(6379, 'x')).not.toThrow();
  });
});
