import { waitFor } from '@peerfed/platform/servers';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { TcpProxy } from './tcp-proxy.server';
import { startTestRedis, type TestRedis } from './test-redis.util';

/** An echo server that also counts the bytes it received. */
async function startEcho(): Promise<{ server: Server; port: number; received: () => number }> {
  let received = 0;
  const server = createServer((socket) => {
    socket.on('data', (chunk) => {
      received += chunk.length;
      socket.write(chunk);
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return { server, port: address.port, received: () => received };
}

async function openClient(proxy: TcpProxy): Promise<{ socket: Socket; text: () => string }> {
  let text = '';
  const socket = connect(proxy.port, proxy.host);
  socket.on('data', (chunk) => (text += chunk.toString()));
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return { socket, text: () => text };
}

describe('TcpProxy', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let proxy: TcpProxy;

  beforeEach(async () => {
    echo = await startEcho();
    proxy = await TcpProxy.start({ port: echo.port });
  });

  afterEach(async () => {
    await proxy.close();
    echo.server.close();
  });

  it('passes data both ways', async () => {
    const client = await openClient(proxy);
    client.socket.write('hello');
    await waitFor(() => client.text() === 'hello', { timeoutMs: 2_000, description: 'echo through the proxy' });
    expect(proxy.openConnections).toBe(1);
    client.socket.destroy();
  });

  it('delays every chunk by the configured time', async () => {
    proxy.delay(150);
    const client = await openClient(proxy);
    const started = Date.now();
    client.socket.write('slow');
    await waitFor(() => client.text() === 'slow', { timeoutMs: 3_000, description: 'delayed echo' });
    // one delay upstream and one on the way back
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    client.socket.destroy();
  });

  it('black-holes: accepts connections but forwards nothing, until switched back', async () => {
    proxy.blackhole();
    const client = await openClient(proxy);
    client.socket.write('lost');
    await expect(waitFor(() => client.text().length > 0 || echo.received() > 0, { timeoutMs: 300 })).rejects.toThrow(/Timed out/);
    expect(echo.received()).toBe(0);
    proxy.passThrough();
    const fresh = await openClient(proxy);
    fresh.socket.write('back');
    await waitFor(() => fresh.text() === 'back', { timeoutMs: 2_000, description: 'echo after the blackhole' });
    client.socket.destroy();
    fresh.socket.destroy();
  });

  describe('with Redis behind it', () => {
    let redis: TestRedis;

    beforeAll(async () => {
      redis = await startTestRedis();
    });

    afterAll(async () => {
      await redis.cleanup();
    });

    it('resetAll() makes an ioredis client see a connection reset', async () => {
      const redisProxy = await TcpProxy.start({ port: redis.port });
      try {
        const client = redis.client({ port: redisProxy.port, maxRetriesPerRequest: 0, retryStrategy: () => null });
        const errors: Error[] = [];
        client.on('error', (error: Error) => errors.push(error));
        expect(await client.ping()).toBe('PONG');
        // A blocking read is in flight when the connection is reset, as in an XREADGROUP BLOCK.
        const blocked = client.blpop('never-filled', 5).catch((error: unknown) => error);
        const observer = redis.client();
        await waitFor(async () => /blocked_clients:1/.test(await observer.info('clients')), {
          timeoutMs: 2_000,
          description: 'the BLPOP to be blocked on the server',
        });
        redisProxy.resetAll();
        const failure = await blocked;
        expect(failure).toBeInstanceOf(Error);
        await waitFor(() => errors.some((e) => /ECONNRESET/.test(e.message)), { timeoutMs: 2_000, description: 'ECONNRESET on the client' });
        expect(client.status).toBe('end');
      } finally {
        await redisProxy.close();
      }
    });
  });
});
