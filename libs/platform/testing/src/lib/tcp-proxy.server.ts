import { LOOPBACK } from '@peerfed/platform/servers';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { registerCleanup } from './cleanup-registry.util';

export type TcpProxyMode = { kind: 'pass-through' } | { kind: 'delay'; ms: number } | { kind: 'blackhole' };

export interface TcpProxyTarget {
  host?: string;
  port: number;
}

interface Link {
  client: Socket;
  upstream: Socket | undefined;
}

/**
 * A TCP proxy on a free loopback port in front of host:port, for fault tests. Modes change at
 * run time and apply to every open connection:
 * - pass-through: bytes flow unchanged;
 * - delay(ms): every chunk, both ways, is held for `ms` (order kept);
 * - blackhole: connections are accepted but nothing is forwarded or answered; bytes sent
 *   meanwhile are dropped, so a connection that lived through a blackhole is unusable
 *   afterwards (resetAll() it, as a timed-out peer would).
 * resetAll() destroys every open connection with a TCP RST, as a crashed peer or a middlebox does.
 */
export class TcpProxy {
  private mode: TcpProxyMode = { kind: 'pass-through' };
  private readonly links = new Set<Link>();
  private readonly unregister: () => void;
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: Required<TcpProxyTarget>,
  ) {
    this.unregister = registerCleanup(() => this.close());
  }

  static async start(target: TcpProxyTarget): Promise<TcpProxy> {
    const resolved = { host: target.host ?? LOOPBACK, port: target.port };
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: LOOPBACK, port: 0 }, () => resolve());
    });
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('TcpProxy: no listening address');
    const proxy = new TcpProxy(server, address.port, resolved);
    server.on('connection', (socket) => proxy.accept(socket));
    return proxy;
  }

  readonly host = LOOPBACK;

  /** `host:port` of the proxy, for clients that take an address. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  get currentMode(): TcpProxyMode {
    return this.mode;
  }

  /** Connections currently open through the proxy. */
  get openConnections(): number {
    return this.links.size;
  }

  passThrough(): void {
    this.mode = { kind: 'pass-through' };
  }

  delay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`TcpProxy delay must be a non-negative number of ms, got ${ms}`);
    this.mode = { kind: 'delay', ms };
  }

  blackhole(): void {
    this.mode = { kind: 'blackhole' };
  }

  /** Every open connection gets a TCP RST (client side) and is closed upstream. */
  resetAll(): void {
    for (const link of this.links) this.reset(link);
  }

  /** Stops listening and resets all connections. Idempotent. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.unregister();
      this.resetAll();
      this.server.close(() => resolve());
    });
    return this.closed;
  }

  private accept(client: Socket): void {
    const link: Link = { client, upstream: undefined };
    this.links.add(link);
    client.on('error', () => this.reset(link));
    client.on('close', () => this.drop(link));
    client.setNoDelay(true);
    client.pause();
    if (this.mode.kind === 'blackhole') {
      // Accepted, never connected upstream: whatever the client sends vanishes.
      client.on('data', () => undefined);
      client.resume();
      return;
    }
    const upstream = connect({ host: this.target.host, port: this.target.port });
    link.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('error', () => this.reset(link));
    // A clean close upstream (e.g. Redis after QUIT) is relayed as a FIN by pipe()'s 'end'
    // handler once queued chunks are written; only a failed upstream resets the client.
    upstream.on('close', (hadError) => {
      if (hadError) this.reset(link);
    });
    upstream.once('connect', () => {
      this.pipe(client, upstream);
      this.pipe(upstream, client);
      client.resume();
    });
  }

  /** Forwards chunks from `from` to `to` as the mode at arrival says; one queue per direction keeps order. */
  private pipe(from: Socket, to: Socket): void {
    let queue = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const mode = this.mode;
      switch (mode.kind) {
        case 'blackhole':
          return;
        case 'pass-through':
          queue = queue.then(() => write(to, chunk));
          return;
        case 'delay':
          queue = queue.then(() => new Promise<void>((resolve) => setTimeout(resolve, mode.ms))).then(() => write(to, chunk));
          return;
      }
    });
    from.on('end', () => {
      queue = queue.then(() => {
        if (!to.destroyed) to.end();
      });
    });
  }

  private reset(link: Link): void {
    const { client } = link;
    // An RST cannot be sent on a socket whose FIN is already under way (libuv refuses with
    // EINVAL and never closes the handle: the open handle kept Jest alive). Such a socket is
    // finished on our side anyway, so it is simply destroyed.
    if (!client.destroyed) {
      if (client.writableEnded) client.destroy();
      else client.resetAndDestroy();
    }
    if (link.upstream && !link.upstream.destroyed) link.upstream.destroy();
    this.links.delete(link);
  }

  private drop(link: Link): void {
    if (link.upstream && !link.upstream.destroyed) link.upstream.destroy();
    this.links.delete(link);
  }
}

function write(socket: Socket, chunk: Buffer): void {
  if (!socket.destroyed) socket.write(chunk);
}
