import { Queue, Worker } from 'bullmq';
import { createEnvelope } from '@peerfed/shared/contracts';
import { BENCH_BODY, BenchStream } from './bench-stream.contract';

const CHUNK = 100;

/**
 * The same work through BullMQ: addBulk x100 by a producer while a Worker (concurrency 100, as
 * the transport's default at batch size 100... see README) completes no-op jobs. Jobs per second.
 */
export async function runBullmq(host: string, port: number, messages: number, concurrency: number): Promise<number> {
  const connection = { host, port, maxRetriesPerRequest: null };
  const name = `bench-${Date.now()}`;
  const queue = new Queue(name, { connection });
  let completed = 0;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const worker = new Worker(
    name,
    async () => {
      // The handler does nothing, like the transport's.
    },
    { connection, concurrency, removeOnComplete: { count: 0 }, removeOnFail: { count: 0 } },
  );
  worker.on('completed', () => {
    completed++;
    if (completed === messages) finished();
  });
  try {
    await worker.waitUntilReady();
    const started = performance.now();
    for (let sent = 0; sent < messages; sent += CHUNK) {
      const jobs = [];
      for (let i = sent; i < Math.min(messages, sent + CHUNK); i++) {
        jobs.push({ name: 'event', data: createEnvelope(BenchStream, { seq: i, body: BENCH_BODY }), opts: { removeOnComplete: true } });
      }
      await queue.addBulk(jobs);
    }
    await done;
    return messages / ((performance.now() - started) / 1000);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
