import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** Lowest port handed out: above the well-known and most registered service ports. */
const POOL_LOW = 15_000;
/** Linux's default ephemeral range starts here; used where /proc cannot tell. */
const DEFAULT_EPHEMERAL_LOW = 32_768;
/** A reservation keeps a port from other processes' picks this long: time enough to bind it. */
const RESERVATION_MS = 120_000;

/**
 * A port that is free now and stays out of other test processes' hands for a while.
 *
 * Two things could take a port between this pick and the caller's bind, and both are avoided:
 * - an outgoing connection: the kernel gives those a local port from the ephemeral range, so the
 *   pick comes from below it (a port the OS assigned with listen(0) would come from inside it);
 * - another process of ours picking the same port: each pick is reserved by a file created
 *   exclusively in a directory every process shares, and expires after RESERVATION_MS.
 * Still racy against foreign programs by nature: callers retry with a new port on EADDRINUSE.
 */
export async function getFreePort(options: FreePortOptions = {}): Promise<number> {
  const host = options.host ?? LOOPBACK;
  const offsets = options.alsoFreeAt ?? [];
  const exclude = new Set(options.exclude ?? []);
  const high = ephemeralLow() - 1 - Math.max(0, ...offsets);
  if (high - POOL_LOW < 1_000) throw new Error(`No port pool below the ephemeral range (ports ${POOL_LOW}-${high})`);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = POOL_LOW + Math.floor(Math.random() * (high - POOL_LOW + 1));
    const all = [port, ...offsets.map((offset) => port + offset)];
    if (all.some((p) => exclude.has(p))) continue;
    if (!all.every(reservePort)) continue;
    const free = await Promise.all(all.map((p) => isPortFree(p, host)));
    if (free.every(Boolean)) return port;
  }
  throw new Error(`Could not find a free port on ${host} after 200 attempts`);
}

let ephemeralLowCache: number | undefined;
function ephemeralLow(): number {
  if (ephemeralLowCache === undefined) {
    let low = DEFAULT_EPHEMERAL_LOW;
    try {
      const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
      if (Number.isInteger(first) && first > 0) low = first;
    } catch {
      // Not Linux: keep the default.
    }
    ephemeralLowCache = low;
  }
  return ephemeralLowCache;
}

const reservations = join(tmpdir(), 'peerfed-port-reservations');
let reservationsReady = false;

/**
 * True when this process now holds the port's reservation (new, or taken over after expiry), and
 * when reservations cannot be kept at all (the directory is not writable for this user): then the
 * bind check alone decides, as before reservations existed.
 */
function reservePort(port: number): boolean {
  const file = join(reservations, String(port));
  try {
    if (!reservationsReady) {
      mkdirSync(reservations, { recursive: true });
      // Shared by every user's test runs on the machine (the umask narrowed mkdir's mode).
      if (statSync(reservations).uid === process.getuid?.()) chmodSync(reservations, 0o1777);
      reservationsReady = true;
    }
    closeSync(openSync(file, 'wx'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return true;
  }
  // Held already: reusable once expired. Two processes taking over the same stale file at once
  // both proceed, and the bind check after this decides between them as before.
  try {
    if (Date.now() - statSync(file).mtimeMs < RESERVATION_MS) return false;
    const now = new Date();
    utimesSync(file, now, now);
    return true;
  } catch {
    return true;
  }
}

/** Throws a clear error unless `port` is an integer TCP port. */
export function assertPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${what} must be an integer TCP port between 1 and 65535, got ${String(port)}`);
  }
}
