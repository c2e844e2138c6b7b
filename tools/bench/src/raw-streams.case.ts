import { createEnvelope } from '@peerfed/shared/contracts';
import { Redis } from 'ioredis';
import { BENCH_BODY, BenchStream } from './bench-stream.contract';

const KEY = 'bench:raw';
const GROUP = 'bench';
const CHUNK = 100;

/**
 * The floor under any transport: XADD x100 pipelined by a producer while a consumer loops
 * XREADGROUP COUNT 100 / JSON.parse / XACK, same envelopes. Returns messages per second.
 */
export async function runRawStreams(url: string, messages: number): Promise<number> {
  const producer = new Redis(url);
  const consumer = new Redis(url);
  try {
    await producer.del(KEY);
    await producer.xgroup('CREATE', KEY, GROUP, '0', 'MKSTREAM');
    const started = performance.now();
    const producing = (async () => {
      for (let sent = 0; sent < messages; sent += CHUNK) {
        const pipeline = producer.pipeline();
        for (let i = sent; i < Math.min(messages, sent + CHUNK); i++) {
          pipeline.xadd(KEY, '*', 'envelope', JSON.stringify(createEnvelope(BenchStream, { seq: i, body: BENCH_BODY })));
        }
        await pipeline.exec();
      }
    })();
    let acked = 0;
    while (acked < messages) {
      const reply = (await consumer.xreadgroup('GROUP', GROUP, 'c1', 'COUNT', CHUNK, 'BLOCK', 1000, 'STREAMS', KEY, '>')) as
        | Array<[string, Array<[string, string[]]>]>
        | null;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) continue;
      for (const [, fields] of entries) JSON.parse(fields[1]);
      acked += await consumer.xack(KEY, GROUP, ...entries.map(([id]) => id));
    }
    await producing;
    return messages / ((performance.now() - started) / 1000);
  } finally {
    await producer.del(KEY);
    producer.disconnect();
    consumer.disconnect();
  }
}
