// A consumer process for the crash tests, run as `node -r ./swc-register.cjs child-consumer.fixture.ts '<json>'`.
// Prints "start <envelope id>" when a handler begins, "done <envelope id>" when it finished, and
// "closed" after a SIGTERM-triggered close() returned.
import { defineStream } from '@peerfed/shared/contracts';
import { type RedisStreamsConnectionOptions } from '../lib/redis-connection.util';
import { type RedisStreamsServerOptions } from '../lib/redis-streams-options.types';
import { TestEvent, startServer, type StreamsTarget } from './stream-test.util';

interface ChildConfig {
  connection: RedisStreamsConnectionOptions;
  stream: string;
  handlerDelayMs: number;
  options: Partial<RedisStreamsServerOptions>;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ChildConfig;
  const contract = defineStream({ stream: config.stream, type: 'test.event', schemaVersion: 1, payload: TestEvent });
  const target = { kind: 'single', connection: config.connection } as StreamsTarget;
  const server = await startServer(
    target,
    [
      {
        contract,
        handle: async (_data, ctx) => {
          process.stdout.write(`start ${ctx.getIdempotencyKey()}\n`);
          await new Promise((resolve) => setTimeout(resolve, config.handlerDelayMs));
          process.stdout.write(`done ${ctx.getIdempotencyKey()}\n`);
        },
      },
    ],
    config.options,
  );
  process.once('SIGTERM', () => {
    void server.close().then(() => {
      process.stdout.write('closed\n');
      process.exit(0);
    });
  });
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`child consumer failed: ${String(error)}\n`);
  process.exit(1);
});
