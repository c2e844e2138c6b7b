import { connect } from 'node:net';

/**
 * Sends one command to a Redis node on a fresh connection and returns its reply (simple
 * string, integer or bulk string; an error reply rejects). Used for readiness and cluster-state
 * probes: no client library, no reconnects, no timers left behind after it settles.
 */
export function redisCommand(host: string, port: number, ...args: string[]): Promise<string | number | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = Buffer.alloc(0);
    const finish = (error: Error | undefined, value?: string | number | null): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value ?? null);
    };
    const timer = setTimeout(() => finish(new Error(`redis ${host}:${port} did not answer ${args[0] ?? ''} within 2 s`)), 2_000);
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error(`redis ${host}:${port} closed the connection`)));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const reply = parseReply(buffer);
      if (reply === undefined) return;
      if (reply instanceof Error) finish(reply);
      else finish(undefined, reply);
    });
    socket.write(encodeCommand(args));
  });
}

function encodeCommand(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/** One RESP2 reply, or undefined while incomplete. Arrays are not needed by the probes. */
function parseReply(buffer: Buffer): string | number | null | Error | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[0] ?? 0);
  const line = buffer.subarray(1, lineEnd).toString('utf8');
  switch (type) {
    case '+':
      return line;
    case '-':
      return new Error(line);
    case ':':
      return Number(line);
    case '$': {
      const length = Number(line);
      if (length < 0) return null;
      const start = lineEnd + 2;
      if (buffer.length < start + length + 2) return undefined;
      return buffer.subarray(start, start + length).toString('utf8');
    }
    default:
      return new Error(`Unsupported Redis reply type ${JSON.stringify(type)}`);
  }
}
