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
/** The steady phase runs at this share of the measured drain rate, for this long. */
const PACED_SHARE = 0.5;
const PACED_SECONDS = 20;

/**
 * The monitor's outcome consumer under load: the built monitor app (a child process, as in
 * production) against throwaway Redis and Postgres; N outcome events (default 50 000, over 500
 * hosts, a mix of successes, 5xx, timeouts and 429s) are written as fast as Redis takes them
 * while the monitor consumes. Reports outcomes/s from first write to fully consumed, and the
 * backlog (lag + pending) sampled every 250 ms. Then a steady phase writes at half that rate for
 * 20 s: the backlog must stay bounded (the monitor keeps up with a delivery fleet at that rate).
 * Writes tmp/bench/monitor.json.
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

    const burst = await sampleBacklog(redis, async () => {
      for (let sent = 0; sent < total; sent += PIPELINE) await writeOutcomes(redis, sent, Math.min(total, sent + PIPELINE));
      const written = Date.now();
      await waitFor(async () => (await groupBacklog(redis)) === 0, { timeoutMs: 30 * 60_000, intervalMs: 100, description: 'all outcomes consumed' });
      return written;
    });
    const started = burst.started;
    const written = burst.result;
    const finished = burst.finished;
    const backlog = burst.samples;
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
    const pacedRate = Math.max(1, Math.round(report.outcomes_per_s * PACED_SHARE));
    log(`steady phase: ${pacedRate} outcomes/s for ${PACED_SECONDS} s`);
    const paced = await sampleBacklog(redis, () => writePaced(redis, total, pacedRate, PACED_SECONDS));
    const pacedReport = {
      paced_rate_per_s: pacedRate,
      paced_seconds: PACED_SECONDS,
      paced_max_backlog: Math.max(0, ...paced.samples),
      paced_final_backlog: await groupBacklog(redis),
      // Bounded: never more than two seconds of input waiting.
      lag_bounded: Math.max(0, ...paced.samples) <= pacedRate * 2,
      paced_backlog_samples: paced.samples,
    };
    process.stdout.write(
      `monitor steady: ${pacedRate}/s for ${PACED_SECONDS} s, max backlog ${pacedReport.paced_max_backlog}, bounded: ${pacedReport.lag_bounded}\n`,
    );
    process.stdout.write(`monitor: ${report.outcomes_per_s} outcomes/s (${total} in ${seconds.toFixed(1)} s), max backlog ${report.max_backlog}, final ${report.final_backlog}\n`);
    log(`wrote ${writeReport(workspace, 'monitor', { ...report, ...pacedReport })}`);
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

async function writeOutcomes(redis: Redis, from: number, to: number): Promise<void> {
  const pipeline = redis.pipeline();
  for (let i = from; i < to; i++) pipeline.xadd(LANE, '*', ENVELOPE_FIELD, JSON.stringify(createEnvelope(DeliveryOutcomesV1, outcome(i))));
  await pipeline.exec();
}

/** Writes `rate` outcomes per second in 100 ms slices for `seconds`, numbering on from `offset`. */
async function writePaced(redis: Redis, offset: number, rate: number, seconds: number): Promise<void> {
  const sliceMs = 100;
  const started = Date.now();
  let sent = 0;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started + sliceMs) / 1000) * rate);
    if (due > sent) {
      await writeOutcomes(redis, offset + sent, offset + due);
      sent = due;
    }
    await new Promise((resolve) => setTimeout(resolve, sliceMs));
  }
}

/** Runs `work` while sampling the monitor group's backlog every SAMPLE_MS. */
async function sampleBacklog<T>(redis: Redis, work: () => Promise<T>): Promise<{ result: T; samples: number[]; started: number; finished: number }> {
  const samples: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      samples.push(await groupBacklog(redis));
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
  })();
  const started = Date.now();
  try {
    const result = await work();
    return { result, samples, started, finished: Date.now() };
  } finally {
    sampling = false;
    await sampler;
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
