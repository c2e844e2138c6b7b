import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Resolves true when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port: number, host: string = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface FreePortOptions {
  host?: string;
  /**
   * Offsets from the chosen port that must be free too. Redis Cluster listens on port+10000 for
   * its cluster bus, so cluster nodes ask for `[10000]`.
   */
  alsoFreeAt?: readonly number[];
  /** Ports not to return (already handed out to a sibling process that has not bound them yet). */
  exclude?: readonly number[];
}

/** A port the OS reports free now. Racy by nature: callers retry with a new port on EADDRINUSE. */
export async function getFreePort(options: FreePortOptions = {}): Promise<number> {
  const host = options.host ?? LOOPBACK;
  const offsets = options.alsoFreeAt ?? [];
  const exclude = new Set(options.exclude ?? []);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await osAssignedPort(host);
    if (exclude.has(port)) continue;
    if (offsets.some((offset) => port + offset > 65_535 || exclude.has(port + offset))) continue;
    const others = await Promise.all(offsets.map((offset) => isPortFree(port + offset, host)));
    if (others.every(Boolean)) return port;
  }
  throw new Error(`Could not find a free port on ${host} after 100 attempts`);
}

function osAssignedPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('The OS assigned no port'))));
    });
  });
}

/** Throws a clear error unless `port` is an integer TCP port. */
export function assertPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${what} must be an integer TCP port between 1 and 65535, got ${String(port)}`);
  }
}
