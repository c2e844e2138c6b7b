import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisServerProcess, getFreePort } from '@peerfed/platform/servers';
import { Redis } from 'ioredis';
import { log } from './bench-process.util';
import { type BenchArgs } from './main';
import { runBullmq } from './bullmq.case';
import { runRawStreams } from './raw-streams.case';
import { formatTable, median, writeReport } from './report.util';
import { runTransport } from './transport.case';

const BATCH_SIZES = [1, 10, 100] as const;

/**
 * Redis Streams throughput: the transport at each batch size, a raw pipelined XADD/XREADGROUP/
 * XACK loop and BullMQ, against one throwaway redis-server (AOF everysec), interleaved run by run
 * so machine noise hits all alike. Prints a table and writes tmp/bench/streams.json.
 */
export async function runStreamsBenchmark(args: BenchArgs): Promise<void> {
  const messages = args.messages ?? 50_000;
  const runs = args.runs ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'peerfed-bench-'));
  const redis = new RedisServerProcess({ port: await getFreePort(), dir: join(dir, 'data'), appendonly: true, appendfsync: 'everysec' });
  await redis.start();
  const admin = new Redis(redis.url);
  const samples = { transport: Object.fromEntries(BATCH_SIZES.map((size) => [size, [] as number[]])), raw: [] as number[], bullmq: [] as number[] };
  try {
    const version = String((await admin.info('server')).match(/redis_version:(\S+)/)?.[1] ?? 'unknown');
    log(`redis ${version} (AOF everysec), ${messages} messages per case, ${runs} runs`);
    for (let run = 1; run <= runs; run++) {
      for (const size of BATCH_SIZES) {
        await admin.flushall();
        samples.transport[size].push(await runTransport(redis.url, messages, size));
        log(`run ${run}: transport batch ${size}: ${Math.round(samples.transport[size].at(-1) ?? 0)} msg/s`);
      }
      await admin.flushall();
      samples.raw.push(await runRawStreams(redis.url, messages));
      log(`run ${run}: raw: ${Math.round(samples.raw.at(-1) ?? 0)} msg/s`);
      await admin.flushall();
      samples.bullmq.push(await runBullmq(redis.host, redis.port, messages, 100));
      log(`run ${run}: bullmq: ${Math.round(samples.bullmq.at(-1) ?? 0)} jobs/s`);
    }
    const byBatch = Object.fromEntries(BATCH_SIZES.map((size) => [String(size), median(samples.transport[size])]));
    const [bestBatch, best] = Object.entries(byBatch).reduce((a, b) => (b[1] > a[1] ? b : a));
    const raw = median(samples.raw);
    const bullmq = median(samples.bullmq);
    const report = {
      benchmark: 'streams',
      redis_version: version,
      node_version: process.version,
      messages_per_case: messages,
      runs,
      transport_msgs_per_s: Math.round(best),
      transport_best_batch_size: Number(bestBatch),
      transport_by_batch_size: Object.fromEntries(Object.entries(byBatch).map(([size, rate]) => [size, Math.round(rate)])),
      raw_msgs_per_s: Math.round(raw),
      bullmq_jobs_per_s: Math.round(bullmq),
      ratio_to_raw: round(best / raw),
      ratio_to_bullmq: round(best / bullmq),
      samples,
    };
    process.stdout.write(
      `\n${formatTable(
        ['case', 'median /s', 'runs /s'],
        [
          ...BATCH_SIZES.map((size) => [`transport, batch ${size}`, byBatch[String(size)], samples.transport[size].map(Math.round).join(' ')]),
          ['raw XADD x100 / XREADGROUP 100 / XACK', raw, samples.raw.map(Math.round).join(' ')],
          ['BullMQ (concurrency 100)', bullmq, samples.bullmq.map(Math.round).join(' ')],
        ],
      )}\n\nratio to raw ${report.ratio_to_raw}, ratio to BullMQ ${report.ratio_to_bullmq}\n`,
    );
    log(`wrote ${writeReport(args.outputRoot ?? process.cwd(), 'streams', report)}`);
  } finally {
    admin.disconnect();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
