import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { getFreePort } from './free-port.util';
import { redisCommand } from './redis-command.util';

/** A fake Redis that answers every command with `reply`, split in two chunks to test reassembly. */
async function fakeRedis(reply: string): Promise<{ server: Server; port: number; received: string[] }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    socket.on('data', (chunk) => {
      received.push(chunk.toString());
      socket.write(reply.slice(0, 3));
      setImmediate(() => socket.write(reply.slice(3)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, received };
}

describe('redisCommand', () => {
  it.each([
    ['+PONG\r\n', 'PONG'],
    [':42\r\n', 42],
    ['$11\r\ncluster:ok\n\r\n', 'cluster:ok\n'],
    ['$-1\r\n', null],
  ])('parses the reply %j', async (reply, expected) => {
    const fake = await fakeRedis(reply);
    try {
      expect(await redisCommand('127.0.0.1', fake.port, 'CLUSTER', 'INFO')).toEqual(expected);
      expect(fake.received.join('')).toBe('*2\r\n$7\r\nCLUSTER\r\n$4\r\nINFO\r\n');
    } finally {
      fake.server.close();
    }
  });

  it('rejects with an error reply', async () => {
    const fake = await fakeRedis('-LOADING Redis is loading the dataset in memory\r\n');
    try {
      await expect(redisCommand('127.0.0.1', fake.port, 'PING')).rejects.toThrow(/^LOADING/);
    } finally {
      fake.server.close();
    }
  });

  it('rejects when nothing listens', async () => {
    await expect(redisCommand('127.0.0.1', await getFreePort(), 'PING')).rejects.toThrow(/ECONNREFUSED/);
  });
});
