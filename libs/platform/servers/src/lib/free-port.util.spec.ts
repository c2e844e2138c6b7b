import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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

  it('picks below the ephemeral range, where outgoing connections never take a port', async () => {
    const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 20 }, () => getFreePort()));
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow);
    const clusterPort = await getFreePort({ alsoFreeAt: [10_000] });
    expect(clusterPort + 10_000).toBeLessThan(ephemeralLow);
  });

  it('never hands out a port again while its reservation lasts, even to concurrent callers', async () => {
    const ports = await Promise.all(Array.from({ length: 200 }, () => getFreePort()));
    expect(new Set(ports).size).toBe(200);
  });

  it('assertPort rejects what is not a TCP port', () => {
    expect(() => assertPort(0, 'Redis port')).toThrow('Redis port must be an integer TCP port between 1 and 65535, got 0');
    expect(() => assertPort(70_000, 'x')).toThrow(/got 70000/);
    expect(() => assertPort(1.5, 'x')).toThrow();
    expect(() => assertPort(6379, 'x')).not.toThrow();
  });
});
