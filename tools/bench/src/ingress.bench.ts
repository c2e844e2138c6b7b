import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFediverse } from '@peerfed/platform/fedisim';
import { Redis } from 'ioredis';
import { PostgresServerProcess, RedisServerProcess, getFreePort, waitFor } from '@peerfed/platform/servers';
import { commandCalls, cpuMeter, log, profileArgs, stopChildren, sumValues } from './bench-process.util';
import { type BenchArgs } from './main';
import { writeReport } from './report.util';
import { rsaRate, runEvalWorker } from './worker-rate.util';

const REMOTE_ACTORS = 100;
/** Inbox replicas, and as many bare servers: the same processes on the same ports, one per core. */
const REPLICAS = 2;
const CONCURRENCY = 64;
const PEAK_SECONDS = 20;
const HALF_RATE_SECONDS = 10;
const BARE_SECONDS = 10;
const VERIFY_SECONDS = 3;
/** Pre-signed requests: signing costs ~16x a bare request, so the load generator never signs while measuring. */
const DEFAULT_PRESIGNED = 450_000;
/** Pre-signing stops after this long even short of the count (a slow machine needs fewer requests). */
const PRESIGN_SECONDS = 60;

interface SignedPost {
  readonly body: string;
  readonly headers: Record<string, string>;
}

interface LoadResult {
  readonly sent: number;
  readonly accepted: number;
  readonly seconds: number;
  readonly latencies: number[];
  readonly statuses: Record<string, number>;
}

/**
 * Inbox throughput against the machine's floor. 2 replicas of the built ingress service (inbox-only
 * processes on a range of 2 ports, on throwaway Postgres and Redis, as a deployment scales them)
 * receive signed Likes from 100 remote actors of the fediverse simulator whose keys are already
 * cached, at concurrency 64 spread over the ports, for 20 s (closed loop), then at half that rate
 * for 10 s (open loop, for p99). Every request carries the first port's Host, as behind a load
 * balancer. In the same run, before and after the service (the ratio uses their mean): 2 bare
 * node:http servers (own processes) on the same ports that read the body and answer 202, under the
 * same load; and the RSA-2048 verify rate of node:crypto on 2 worker threads. Writes
 * tmp/bench/ingress.json.
 * `--messages N` sets how many requests are pre-signed (default 450 000, or as many as 2 workers sign in
 * 60 s: enough that none is sent twice below ~15k/s; `reused_presigned` in the report says if any was).
 */
export async function run(args: BenchArgs = {}): Promise<void> {
  const presignedCount = args.messages ?? DEFAULT_PRESIGNED;
  const workspace = process.cwd();
  execFileSync(process.execPath, [join(workspace, 'tools', 'build', 'build-app.mjs'), 'apps/ingress'], { stdio: 'inherit' });
  const main = join(workspace, 'dist', 'apps', 'ingress', 'main.js');

  const dir = mkdtempSync(join(tmpdir(), 'peerfed-bench-ingress-'));
  chmodSync(dir, 0o755); // the postgres user must traverse it when we run as root
  const redisServer = new RedisServerProcess({ port: await getFreePort(), dir: join(dir, 'redis'), appendonly: false });
  const pgServer = new PostgresServerProcess({ port: await getFreePort(), dataDir: join(dir, 'pg'), fast: true });
  const fediverse = await startFediverse({ instances: 1, usersPerInstance: REMOTE_ACTORS, keyMode: 'shared' });
  const children: ChildProcess[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    await Promise.all([redisServer.start(), pgServer.start()]);
    const ports: number[] = [];
    for (let i = 0; i < REPLICAS; i++) ports.push(await getFreePort());
    const [port] = ports;
    if (port === undefined) throw new Error('no port');
    const origin = `http://127.0.0.1:${port}`;
    const databaseUrl = await pgServer.createDatabase('ingress');
    const group = `${origin}/groups/demo`;
    const remote = fediverse.instance(0);
    log(`pre-signing ${presignedCount} inbox requests on 2 worker threads`);
    const [firstActor] = remote.actors;
    if (!firstActor) throw new Error('the simulator has no actors');
    // keyMode 'shared': one key pair signs for every simulated actor (distinct keyIds).
    const privateKeyPem = (await firstActor.keyPair()).privateKeyPem;
    const posts = await presign(presignedCount, { host: `127.0.0.1:${port}`, actors: remote.actors.map((actor) => actor.id), object: group, privateKeyPem });

    // The floor is measured before and after the service (same ports, same requests); the ratio
    // uses their mean, so both sides see the same machine.
    const bareBefore = await measureBare(agent, ports, posts);
    for (const replicaPort of ports) {
      children.push(
        // BENCH_CPU_PROF_DIR=<dir>: each replica writes a V8 CPU profile there on exit.
        spawn(process.execPath, [...profileArgs(), main], {
          env: {
            ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(replicaPort), PUBLIC_URL: origin, LOG_LEVEL: 'error',
            DATABASE_URL: databaseUrl, REDIS_URL: redisServer.url,
            // Inbox-only replicas: the workers (Postgres transactions) would compete for the same 2 cores.
            INBOUND_WORKERS: 'false',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
      // One at a time: the first one runs the migrations.
      await waitFor(async () => (await fetch(`http://127.0.0.1:${replicaPort}/health/ready`).catch(() => undefined))?.status === 200, {
        timeoutMs: 60_000,
        description: 'ingress ready',
      });
    }

    log(`warming the key caches: one signed request per remote actor (${REMOTE_ACTORS}) and replica (${REPLICAS})`);
    for (const [replica, replicaPort] of ports.entries()) {
      for (const actor of remote.actors) {
        const warm = { id: `${actor.id}/warm/${replica}`, type: 'Like', actor: actor.id, object: group };
        const response = await remote.signedPost(`http://127.0.0.1:${replicaPort}/inbox`, warm, actor);
        if (response.status !== 202) throw new Error(`warm-up request of ${actor.id} answered ${response.status}: ${response.body}`);
      }
    }


    log(`peak: ${CONCURRENCY} connections over ${REPLICAS} replicas for ${PEAK_SECONDS} s`);
    const cursor = { next: 0 };
    const stats = new Redis(redisServer.url);
    await stats.config('RESETSTAT');
    const peakCpu = cpuMeter([...children.map((child) => child.pid), redisServer.pid]);
    const peak = await closedLoop(agent, ports, posts, cursor, PEAK_SECONDS);
    const peakCpuSeconds = peakCpu();
    const redisCalls = await commandCalls(stats);
    stats.disconnect();
    const serviceCpu = sum(peakCpuSeconds.slice(0, REPLICAS));
    const redisCpu = peakCpuSeconds[REPLICAS];
    const peakRate = peak.accepted / peak.seconds;
    const halfRate = Math.max(1, Math.floor(peakRate / 2));
    log(`half rate: ${halfRate}/s for ${HALF_RATE_SECONDS} s`);
    const half = await openLoop(agent, ports, posts, cursor, halfRate, HALF_RATE_SECONDS);
    const wrapped = cursor.next > posts.length;

    await stopChildren(children.splice(0));
    const bareAfter = await measureBare(agent, ports, posts);

    log('measuring the RSA-2048 verify rate on 2 worker threads');
    const rsaVerifyPerS = await rsaRate('verify', 2, VERIFY_SECONDS);
    const barePerS = (bareBefore.perS + bareAfter.perS) / 2;
    const report = {
      benchmark: 'ingress',
      node_version: process.version,
      remote_actors: REMOTE_ACTORS,
      replicas: REPLICAS,
      bare_servers: REPLICAS,
      concurrency: CONCURRENCY,
      accepted_per_s: Math.round(peakRate),
      p50_ms: percentile(peak.latencies, 0.5),
      p99_ms: percentile(peak.latencies, 0.99),
      half_rate_per_s: halfRate,
      half_rate_p50_ms: percentile(half.latencies, 0.5),
      half_rate_p99_ms: percentile(half.latencies, 0.99),
      bare_http_per_s: Math.round(barePerS),
      bare_http_per_s_before: Math.round(bareBefore.perS),
      bare_http_per_s_after: Math.round(bareAfter.perS),
      rsa_verify_per_s: Math.round(rsaVerifyPerS),
      ratio_to_bare: Number((peakRate / barePerS).toFixed(3)),
      // CPU time per answered request over all replicas (Linux /proc): steadier than rates on a shared machine.
      cpu_us_per_request: perRequest(serviceCpu, peak.sent),
      redis_cpu_us_per_request: perRequest(redisCpu, peak.sent),
      // Commands Redis executed over the peak phase (INFO commandstats) per accepted request; a script's own calls count apart.
      redis_commands_per_request: Number((sumValues(redisCalls) / Math.max(1, peak.accepted)).toFixed(2)),
      redis_calls_per_request: Object.fromEntries(Object.entries(redisCalls).map(([command, calls]) => [command, Number((calls / Math.max(1, peak.accepted)).toFixed(3))])),
      bare_cpu_us_per_request: perRequest(sum([bareBefore.cpuSeconds, bareAfter.cpuSeconds]), bareBefore.sent + bareAfter.sent),
      peak_statuses: peak.statuses,
      half_rate_statuses: half.statuses,
      // When the run outlasts the pre-signed requests, ids repeat: those are answered 202 as duplicates (verified, not queued).
      presigned: posts.length,
      reused_presigned: wrapped,
    };
    process.stdout.write(
      `ingress: ${report.accepted_per_s} accepted/s (p50 ${report.p50_ms} ms, p99 ${report.p99_ms} ms), at half rate p99 ${report.half_rate_p99_ms} ms; ` +
        `CPU per request ${report.cpu_us_per_request ?? '?'} us (+ Redis ${report.redis_cpu_us_per_request ?? '?'} us, bare ${report.bare_cpu_us_per_request ?? '?'} us); ` +
        `bare http ${report.bare_http_per_s}/s, ratio ${report.ratio_to_bare}; RSA verify ${report.rsa_verify_per_s}/s on 2 workers\n`,
    );
    log(`wrote ${writeReport(workspace, 'ingress', report)}`);
  } finally {
    agent.destroy();
    await stopChildren(children);
    await fediverse.stop();
    await Promise.allSettled([redisServer.stop(), pgServer.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

function sum(values: readonly (number | undefined)[]): number | undefined {
  return values.some((value) => value === undefined) ? undefined : values.reduce<number>((total, value) => total + (value ?? 0), 0);
}

/** One signed POST; resolves with its status and latency (status 0: transport error). */
function post(agent: Agent, port: number, signed: SignedPost): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: '/inbox', headers: signed.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      res.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(signed.body);
  });
}

/** 2 bare node:http servers (own processes) on the service's ports under the same closed loop. */
async function measureBare(agent: Agent, ports: readonly number[], posts: readonly SignedPost[]): Promise<{ perS: number; sent: number; cpuSeconds: number | undefined }> {
  log(`${ports.length} bare node:http servers on the same ports for ${BARE_SECONDS} s`);
  const servers: ChildProcess[] = [];
  try {
    for (const port of ports) {
      servers.push(spawn(process.execPath, ['-e', BARE_SERVER, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] }));
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined)) !== undefined, { timeoutMs: 10_000, description: 'bare server' });
    }
    const cpu = cpuMeter(servers.map((child) => child.pid));
    const result = await closedLoop(agent, ports, posts, { next: 0 }, BARE_SECONDS);
    return { perS: result.accepted / result.seconds, sent: result.sent, cpuSeconds: sum(cpu()) };
  } finally {
    // The service starts on these ports next: they must be free, and the agent's sockets to them gone.
    await stopChildren(servers);
  }
}

function perRequest(cpuSecondsSpent: number | undefined, requests: number): number | undefined {
  return cpuSecondsSpent === undefined || requests === 0 ? undefined : Math.round((cpuSecondsSpent / requests) * 1e6);
}

function take(posts: readonly SignedPost[], cursor: { next: number }): SignedPost {
  const signed = posts[cursor.next % posts.length];
  cursor.next++;
  if (!signed) throw new Error('no pre-signed requests');
  return signed;
}

/** CONCURRENCY loops spread evenly over the ports, each sending its next request when the previous one answered. */
async function closedLoop(agent: Agent, ports: readonly number[], posts: readonly SignedPost[], cursor: { next: number }, seconds: number): Promise<LoadResult> {
  const result = newResult();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, loop) => {
      const port = ports[loop % ports.length] ?? 0;
      while (performance.now() < deadline) record(result, await post(agent, port, take(posts, cursor)));
    }),
  );
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

/** A fixed arrival rate (10 ms ticks), round robin over the ports, whatever the response times; at most 4x CONCURRENCY in flight. */
async function openLoop(agent: Agent, ports: readonly number[], posts: readonly SignedPost[], cursor: { next: number }, rate: number, seconds: number): Promise<LoadResult> {
  const result = newResult();
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let due = 0;
  let issued = 0;
  while (performance.now() - started < seconds * 1000) {
    due += rate / 100;
    while (due >= 1 && inFlight.size < CONCURRENCY * 4) {
      due--;
      const port = ports[issued++ % ports.length] ?? 0;
      const pending: Promise<void> = post(agent, port, take(posts, cursor)).then((outcome) => {
        record(result, outcome);
        inFlight.delete(pending);
      });
      inFlight.add(pending);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(inFlight);
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

function newResult(): Omit<LoadResult, 'seconds'> & { sent: number; accepted: number } {
  return { sent: 0, accepted: 0, latencies: [], statuses: {} };
}

function record(result: { sent: number; accepted: number; latencies: number[]; statuses: Record<string, number> }, outcome: { status: number; ms: number }): void {
  result.sent++;
  result.statuses[outcome.status] = (result.statuses[outcome.status] ?? 0) + 1;
  if (outcome.status === 202) {
    result.accepted++;
    result.latencies.push(outcome.ms);
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(2));
}

// Signs Likes as Mastodon does (draft-cavage rsa-sha256 over "(request-target) host date digest").
const PRESIGN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash, createPrivateKey, sign } = require('node:crypto');
const key = createPrivateKey(workerData.privateKeyPem);
const out = [];
for (let i = workerData.from; i < workerData.to && Date.now() < workerData.deadline; i++) {
  const actor = workerData.actors[i % workerData.actors.length];
  const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: actor + '/bench/' + workerData.run + '/' + i, type: 'Like', actor, object: workerData.object });
  const digest = 'SHA-256=' + createHash('sha256').update(body).digest('base64');
  const date = new Date().toUTCString();
  const base = '(request-target): post /inbox\\nhost: ' + workerData.host + '\\ndate: ' + date + '\\ndigest: ' + digest;
  const signature = sign('sha256', Buffer.from(base), key).toString('base64');
  out.push({ body, headers: {
    host: workerData.host, date, digest, 'content-type': 'application/activity+json', 'content-length': String(Buffer.byteLength(body)),
    signature: 'keyId="' + actor + '#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="' + signature + '"',
  } });
}
parentPort.postMessage(out);
`;

async function presign(count: number, data: { host: string; actors: string[]; object: string; privateKeyPem: string }): Promise<SignedPost[]> {
  const run = Date.now().toString(36);
  const deadline = Date.now() + PRESIGN_SECONDS * 1000;
  const halves = [
    [0, Math.floor(count / 2)],
    [Math.floor(count / 2), count],
  ] as const;
  const parts = await Promise.all(halves.map(([from, to]) => runEvalWorker<SignedPost[]>(PRESIGN_WORKER, { ...data, from, to, run, deadline })));
  return parts.flat();
}

// The floor: reads the whole body and answers 202, nothing else.
const BARE_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.statusCode = 202; res.end(); });
});
server.keepAliveTimeout = 10000;
server.listen(Number(process.argv[1]), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;
