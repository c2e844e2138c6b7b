import { waitFor } from '@peerfed/platform/servers';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { TcpProxy } from './tcp-proxy.server';

// Loopback sockets only (no database or Redis process): the proxy's connection lifecycle.

/** Big enough to fill the socket buffers of a client that does not read. */
const BULK = Buffer.alloc(16 * 1024 * 1024, 'b');

/**
 * A server that answers "QUIT" with "+OK" and then closes the connection, as Redis does;
 * "BULK" is answered with 16 MiB and a close.
 */
async function startQuitServer(): Promise<{ server: Server; port: number; closed: () => number }> {
  let closed = 0;
  const server = createServer((socket) => {
    socket.on('close', () => closed++);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      const text = chunk.toString();
      if (text.includes('QUIT')) socket.end('+OK\r\n');
      if (text.includes('BULK')) socket.end(BULK);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return { server, port: address.port, closed: () => closed };
}

function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length;
}

/** QUIT as ioredis does it on close(): on the +OK reply it ends its side too, racing the server's FIN. */
async function quitThrough(proxy: TcpProxy): Promise<{ socket: Socket; reply: string }> {
  let reply = '';
  const socket = connect(proxy.port, proxy.host);
  socket.on('data', (chunk) => {
    reply += chunk.toString();
    if (reply.includes('+OK')) socket.end();
  });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  const closed = once(socket, 'close');
  socket.write('QUIT\r\n');
  await closed;
  return { socket, reply };
}

describe('TcpProxy connection lifecycle', () => {
  let upstream: Awaited<ReturnType<typeof startQuitServer>>;
  let proxy: TcpProxy;

  beforeEach(async () => {
    upstream = await startQuitServer();
    proxy = await TcpProxy.start({ port: upstream.port });
  });

  afterEach(async () => {
    await proxy.close();
    upstream.server.close();
  });

  it('relays a clean close by the server (QUIT) and leaves no socket handle open', async () => {
    const before = openTcpSockets();
    const { reply, socket } = await quitThrough(proxy);
    expect(reply).toBe('+OK\r\n');
    expect(socket.destroyed).toBe(true);
    await waitFor(() => proxy.openConnections === 0, { timeoutMs: 2_000, description: 'the link to be dropped' });
    await waitFor(() => openTcpSockets() <= before, { timeoutMs: 2_000, description: 'every proxied socket handle to be closed' });
  });

  it('closes a half-closed connection on close() without leaking its handle', async () => {
    const before = openTcpSockets();
    // This client does not close its side when the server does: the proxy holds a half-closed link.
    let reply = '';
    const socket = connect({ port: proxy.port, host: proxy.host, allowHalfOpen: true });
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    const ended = once(socket, 'end');
    socket.write('QUIT\r\n');
    await ended;
    expect(reply).toBe('+OK\r\n');
    // close() resolves only once the listening server has no connection left.
    await proxy.close();
    expect(proxy.openConnections).toBe(0);
    socket.destroy();
    await waitFor(() => openTcpSockets() <= before, { timeoutMs: 2_000, description: 'every proxied socket handle to be closed' });
  });

  it('closes, without leaking a handle, a link whose FIN to the client is still queued behind unread data', async () => {
    const before = openTcpSockets();
    const socket = connect(proxy.port, proxy.host);
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    socket.pause();
    socket.write('BULK\r\n');
    // The server has sent everything and closed; the proxy still holds data and the FIN for the client.
    await waitFor(() => upstream.closed() === 1, { timeoutMs: 2_000, description: 'the server to close its side' });
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      proxy.close().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2_000))),
    ]);
    clearTimeout(timer);
    socket.destroy();
    // A connection whose handle never closes keeps server.close() (and Jest) waiting forever.
    expect(closed).toBe(true);
    await waitFor(() => openTcpSockets() <= before, { timeoutMs: 2_000, description: 'every proxied socket handle to be closed' });
  });

  it('leaves no socket handle behind when the proxy closes right after a client QUIT (the ioredis close race)', async () => {
    const before = openTcpSockets();
    // ioredis' close(): QUIT, then end() on the +OK; the test then closes the proxy at once or a
    // tick later, while the proxy may still be shutting down its side of the connection.
    for (let i = 0; i < 20; i++) {
      const racing = await TcpProxy.start({ port: upstream.port });
      const socket = connect(racing.port, racing.host);
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      const ok = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.write('QUIT\r\n');
      await ok;
      socket.end();
      if (i % 2 === 1) await new Promise((resolve) => setImmediate(resolve));
      await racing.close();
      socket.destroy();
    }
    await waitFor(() => openTcpSockets() <= before, { timeoutMs: 2_000, description: 'every proxied socket handle to be closed' });
  });
});
