import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresServerProcess, RedisServerProcess, getFreePort, waitFor } from '@peerfed/platform/servers';
import { createEnvelope, type DeliveryOutcomePayload, DeliveryOutcomesV1, ENVELOPE_FIELD, laneKey } from '@peerfed/shared/contracts';
import { Redis } from 'ioredis';
import { log } from './bench-process.util';
import { type BenchArgs } from './main';
import { writeReport } from './report.util';

const LANE = laneKey(DeliveryOutcomesV1.stream, 'medium');
const HOSTS = 500;
const PIPELINE = 500;
const SAMPLE_MS = 250;

/**
 * The monitor's outcome consumer under load: the built monitor app (a child process, as in
 * production) against throwaway Redis and Postgres; N outcome events (default 50 000, over 500
 * hosts, a mix of successes, 5xx, timeouts and 429s) are written as fast as Redis takes them
 * while the monitor consumes. Reports outcomes/s from first write to fully consumed, and the
 * backlog (lag + pending) sampled every 250 ms. Writes tmp/bench/monitor.json.
 */
export async function run(args: BenchArgs = {}): Promise<void> {
  const total = args.messages ?? 50_000;
  const workspace = process.cwd();
  const main = join(workspace, 'dist', 'apps', 'monitor', 'main.js');
  // Always rebuild: a stale dist would measure old code.
  execFileSync(process.execPath, [join(workspace, 'tools', 'build', 'build-app.mjs'), 'apps/monitor'], { stdio: 'inherit' });
  if (!existsSync(main)) throw new Error(`${main} was not built`);

  const dir = mkdtempSync(join(tmpdir(), 'peerfed-bench-monitor-'));
  chmodSync(dir, 0o755); // the postgres user must traverse it when we run as root
  const redisServer = new RedisServerProcess({ port: await getFreePort(), dir: join(dir, 'redis'), appendonly: true, appendfsync: 'everysec' });
  const pgServer = new PostgresServerProcess({ port: await getFreePort(), dataDir: join(dir, 'pg'), fast: true });
  let monitor: ChildProcess | undefined;
  const redis = new Redis(redisServer.url, { lazyConnect: true });
  try {
    await Promise.all([redisServer.start(), pgServer.start()]);
    await redis.connect();
    const port = await getFreePort();
    monitor = spawn(process.execPath, [main], {
      env: {
        ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'error', SHUTDOWN_GRACE_MS: '0',
        DATABASE_URL: await pgServer.createDatabase('monitor'), REDIS_URL: redisServer.url, MAX_BATCH_SIZE: '100', LIFECYCLE_INTERVAL_MS: '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200, { timeoutMs: 60_000, description: 'monitor ready' });
    log(`monitor ready; writing ${total} outcome events over ${HOSTS} hosts`);

    const backlog: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        backlog.push(await groupBacklog(redis));
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      }
    })();
    const started = Date.now();
    for (let sent = 0; sent < total; sent += PIPELINE) {
      const pipeline = redis.pipeline();
      for (let i = sent; i < Math.min(total, sent + PIPELINE); i++) pipeline.xadd(LANE, '*', ENVELOPE_FIELD, JSON.stringify(createEnvelope(DeliveryOutcomesV1, outcome(i))));
      await pipeline.exec();
    }
    const written = Date.now();
    await waitFor(async () => (await groupBacklog(redis)) === 0, { timeoutMs: 30 * 60_000, intervalMs: 100, description: 'all outcomes consumed' });
    const finished = Date.now();
    sampling = false;
    await sampler;

    const seconds = (finished - started) / 1000;
    const report = {
      benchmark: 'monitor',
      node_version: process.version,
      outcomes: total,
      hosts: HOSTS,
      outcomes_per_s: Math.round(total / seconds),
      write_seconds: (written - started) / 1000,
      total_seconds: seconds,
      max_backlog: Math.max(0, ...backlog),
      final_backlog: await groupBacklog(redis),
      backlog_samples_every_ms: SAMPLE_MS,
      backlog_samples: backlog,
    };
    process.stdout.write(`monitor: ${report.outcomes_per_s} outcomes/s (${total} in ${seconds.toFixed(1)} s), max backlog ${report.max_backlog}, final ${report.final_backlog}\n`);
    log(`wrote ${writeReport(workspace, 'monitor', report)}`);
  } finally {
    if (monitor && monitor.exitCode === null) {
      const exited = new Promise((resolve) => monitor?.once('exit', resolve));
      monitor.kill('SIGTERM');
      await exited;
    }
    redis.disconnect();
    await Promise.allSettled([redisServer.stop(), pgServer.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A deterministic mix: 80 % delivered, 10 % 503, 5 % timeouts, 5 % 429. */
function outcome(i: number): DeliveryOutcomePayload {
  const host = `host-${i % HOSTS}.example`;
  const base = { host, inboxUrl: `https://${host}/inbox`, activityType: i % 3 === 0 ? 'Like' : 'Create', latencyMs: 20 + (i % 200), attempt: 1 };
  const kind = i % 20;
  if (kind < 16) return { ...base, outcome: 'delivered', statusCode: 202 };
  if (kind < 18) return { ...base, outcome: 'retryable', statusCode: 503 };
  if (kind < 19) return { ...base, outcome: 'retryable', errorClass: 'timeout' };
  return { ...base, outcome: 'retryable', statusCode: 429 };
}

/** Entries of the lane not yet acknowledged by the monitor's group (lag + pending); -1 before the group exists. */
async function groupBacklog(redis: Redis): Promise<number> {
  const groups = (await redis.call('XINFO', 'GROUPS', LANE).catch(() => [])) as unknown[][];
  for (const raw of groups) {
    const g: Record<string, unknown> = {};
    for (let i = 0; i + 1 < raw.length; i += 2) g[String(raw[i])] = raw[i + 1];
    if (g['name'] === 'monitor') return Number(g['lag'] ?? 0) + Number(g['pending'] ?? 0);
  }
  return -1;
}
