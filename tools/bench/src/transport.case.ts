import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { RedisStreamsClient, RedisStreamsServer } from '@peerfed/platform/streams';
import { Registry } from 'prom-client';
import { BENCH_BODY, BenchStream } from './bench-stream.contract';

const CHUNK = 100;
let handled = 0;

@Controller()
class BenchController {
  @EventPattern<string>(BenchStream.stream, { contract: BenchStream })
  handle(): void {
    handled++;
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

/**
 * End to end through the transport inside a Nest microservice: a RedisStreamsClient publishes
 * (default options, 100 in flight), the server reads with MAX_BATCH_SIZE = batchSize,
 * validates, runs the handler and acknowledges. Counted when acknowledged. Messages per second.
 */
export async function runTransport(url: string, messages: number, batchSize: number): Promise<number> {
  const registry = new Registry();
  const app = await NestFactory.createMicroservice(BenchModule, {
    strategy: new RedisStreamsServer({ url, group: 'bench', maxBatchSize: batchSize, registry }),
    logger: ['error'],
  });
  const client = new RedisStreamsClient({ url });
  const processed = async (): Promise<number> => {
    const metric = await registry.getSingleMetric('peerfed_stream_messages_processed_total')?.get();
    return (metric?.values ?? []).reduce((sum, value) => sum + value.value, 0);
  };
  try {
    await app.listen();
    await client.connect();
    handled = 0;
    const started = performance.now();
    const producing = (async () => {
      for (let sent = 0; sent < messages; sent += CHUNK) {
        const batch = [];
        for (let i = sent; i < Math.min(messages, sent + CHUNK); i++) batch.push(client.publishMessage(BenchStream, { seq: i, body: BENCH_BODY }));
        await Promise.all(batch);
      }
    })();
    await producing;
    while ((await processed()) < messages) await new Promise((resolve) => setTimeout(resolve, 2));
    const rate = messages / ((performance.now() - started) / 1000);
    if (handled < messages) throw new Error(`only ${handled} of ${messages} handled`);
    return rate;
  } finally {
    await client.close();
    await app.close();
  }
}
