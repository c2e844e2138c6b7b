import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Fediverse, startFediverse } from '@peerfed/platform/fedisim';
import { PostgresServerProcess, RedisServerProcess, getFreePort, waitFor } from '@peerfed/platform/servers';
import { ActorKeyStore, createActorKeysTable, KeyEncryption } from '@peerfed/shared/actor-keys';
import { OutboundPublisher } from '@peerfed/shared/outbound';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { commandCalls, cpuMeter, log, profileArgs, stopChildren, sumValues } from './bench-process.util';
import { type BenchArgs } from './main';
import { writeReport } from './report.util';
import { type SignPostClientConfig, type SignPostClientResult } from './sign-post-client';
import { rsaRate } from './worker-rate.util';

const INBOXES = 100;
const REPLICAS = 2;
const SIGN_SECONDS = 3;
const FLOOR_SECONDS = 8;
const FLOOR_CONCURRENCY = 64;
const ORIGIN = 'http://localhost:3000';
const ALICE = `${ORIGIN}/users/alice`;
const KEY = 'delivery-benchmark-key-encryption-key-0123456789';

/**
 * Delivery throughput against its physical limit, RSA signing. N deliveries (default 20 000)
 * = N/100 activities published with OutboundPublisher to 100 simulated inboxes (100 fediverse
 * simulator instances that verify every signature), delivered by 2 replicas of the built delivery
 * service. In the same run, right before and after, the RSA-2048 sign rate of node:crypto on 2
 * worker threads (the ratio uses their mean), and the floor of a delivery on this machine: as many
 * processes as replicas that only sign (our signer) and POST (undici keep-alive) to the same
 * simulator in a closed loop, with no queue or bookkeeping at all.
 * Writes tmp/bench/delivery.json: deliveries_per_s, rsa_sign_per_s, ratio_to_sign, p99_ms
 * (publish to accepted by the remote), sign_post_floor_per_s, floor_ratio_to_sign, ratio_to_floor.
 */
export async function run(args: BenchArgs = {}): Promise<void> {
  const activities = Math.max(1, Math.round((args.messages ?? 20_000) / INBOXES));
  const total = activities * INBOXES;
  const workspace = process.cwd();
  // BENCH_DELIVERY_MAIN=<built main.js>: run another build (an A/B against a baseline build) instead of this tree's.
  const prebuilt = process.env['BENCH_DELIVERY_MAIN'];
  if (prebuilt === undefined) execFileSync(process.execPath, [join(workspace, 'tools', 'build', 'build-app.mjs'), 'apps/delivery'], { stdio: 'inherit' });
  const main = prebuilt ?? join(workspace, 'dist', 'apps', 'delivery', 'main.js');

  const dir = mkdtempSync(join(tmpdir(), 'peerfed-bench-delivery-'));
  chmodSync(dir, 0o755); // the postgres user must traverse it when we run as root
  const redisServer = new RedisServerProcess({ port: await getFreePort(), dir: join(dir, 'redis'), appendonly: true, appendfsync: 'everysec' });
  const pgServer = new PostgresServerProcess({ port: await getFreePort(), dataDir: join(dir, 'pg'), fast: true });
  const fediverse = await startFediverse({ instances: INBOXES, usersPerInstance: 1, sharedInbox: false, maxRecords: total + 1000 });
  const replicas: ChildProcess[] = [];
  const redis = new Redis(redisServer.url, { lazyConnect: true });
  try {
    await Promise.all([redisServer.start(), pgServer.start()]);
    await redis.connect();
    const databaseUrl = await pgServer.createDatabase('delivery');
    const key = await createSenderKey(databaseUrl);
    fediverse.trustKey(key.keyId, key.publicKeyPem);

    for (let replica = 0; replica < REPLICAS; replica++) {
      const port = await getFreePort();
      replicas.push(
        // BENCH_CPU_PROF_DIR=<dir>: each replica writes a V8 CPU profile there on exit.
        spawn(process.execPath, [...profileArgs(), main], {
          env: {
            ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'error', SHUTDOWN_GRACE_MS: '0',
            DATABASE_URL: databaseUrl, REDIS_URL: redisServer.url, KEY_ENCRYPTION_KEY: KEY, MAX_BATCH_SIZE: '100',
            DELIVERY_CONCURRENCY: '400', MAX_CONCURRENT_PER_HOST: '8', DELIVERY_CONSUMER_NAME: `bench-${replica}`,
            // Limits far above the run's rate: still checked on every delivery, never the bottleneck
            // (the default global limit, 3000/s, would cap the run below its target).
            RATE_LIMIT_PER_DESTINATION: '1000000', RATE_LIMIT_GLOBAL: '1000000',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200, { timeoutMs: 60_000, description: 'delivery ready' });
    }
    // The machine may be shared: the sign rate is measured right before and right after the
    // delivery phase, and the ratio uses their mean, so both sides see the same conditions.
    log('measuring the RSA-2048 sign rate on 2 worker threads (before)');
    const signBefore = await rsaRate('sign', 2, SIGN_SECONDS);
    log(`floor: ${REPLICAS} sign-and-POST processes for ${FLOOR_SECONDS} s`);
    const floor = await measureFloor(fediverse, process.argv[1] ?? '');
    log(`${REPLICAS} delivery replicas ready; publishing ${activities} activities to ${INBOXES} inboxes`);

    const inboxes = fediverse.instances.map((instance) => instance.actors[0]?.inbox ?? '');
    const publisher = new OutboundPublisher(redis);
    const publishedAt = new Map<string, number>();
    // CPU spent during the delivery phase: robust to a shared machine where throughput is not.
    await redis.config('RESETSTAT');
    // Replicas, then Redis (the CPU of Postgres' backends is not counted).
    const cpu = cpuMeter([...replicas.map((child) => child.pid), redisServer.pid]);
    const benchCpuBefore = process.cpuUsage();
    const started = Date.now();
    for (let i = 0; i < activities; i++) {
      const id = `${ORIGIN}/activities/bench-${i}`;
      publishedAt.set(id, Date.now());
      await publisher.publish({
        activity: { id, type: 'Create', actor: ALICE, object: { id: `${ORIGIN}/notes/bench-${i}`, type: 'Note', attributedTo: ALICE, content: `note ${i}` } },
        actorId: ALICE,
        audience: { followers: false, inboxes },
      });
    }
    // The exact counters, not a scan of the records: the simulator shares the CPU with the replicas.
    await waitFor(() => fediverse.totals().accepted >= total, { timeoutMs: 30 * 60_000, intervalMs: 100, description: `${total} deliveries accepted` });
    const finished = Date.now();
    const cpuSeconds = cpu();
    const replicaCpuMs = cpuSeconds.slice(0, REPLICAS).reduce<number>((sum, seconds) => sum + (seconds ?? 0) * 1000, 0);
    const redisCpuMs = (cpuSeconds[REPLICAS] ?? 0) * 1000;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const benchCpuMs = (benchCpu.user + benchCpu.system) / 1000;
    const redisCalls = await commandCalls(redis);
    const records = fediverse.deliveries({ accepted: true });
    const latencies = records.map((r) => r.receivedAt - (publishedAt.get(r.activityId) ?? started)).sort((a, b) => a - b);
    const deliveriesPerS = total / ((finished - started) / 1000);
    const signatureFailures = fediverse.signatureFailures().length;

    for (const child of replicas) child.kill('SIGTERM');
    log('measuring the RSA-2048 sign rate on 2 worker threads (after)');
    const signAfter = await rsaRate('sign', 2, SIGN_SECONDS);
    const rsaSignPerS = (signBefore + signAfter) / 2;
    // One sign on one of the 2 workers takes 2 / rate seconds.
    const signMs = 2000 / rsaSignPerS;

    const report = {
      benchmark: 'delivery',
      node_version: process.version,
      deliveries: total,
      inboxes: INBOXES,
      replicas: REPLICAS,
      deliveries_per_s: Math.round(deliveriesPerS),
      rsa_sign_per_s: Math.round(rsaSignPerS),
      rsa_sign_per_s_before: Math.round(signBefore),
      rsa_sign_per_s_after: Math.round(signAfter),
      ratio_to_sign: Number((deliveriesPerS / rsaSignPerS).toFixed(3)),
      p50_ms: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
      p99_ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
      received: records.length,
      duplicates: records.length - new Set(records.map((r) => `${r.activityId} ${r.host}`)).size,
      signature_failures: signatureFailures,
      total_seconds: (finished - started) / 1000,
      // Per delivery, in units of one RSA-2048 sign: the replicas' CPU and the bench process's
      // (the simulator that verifies every request, and the publisher).
      replica_cpu_signs_per_delivery: Number((replicaCpuMs / total / signMs).toFixed(3)),
      simulator_cpu_signs_per_delivery: Number((benchCpuMs / total / signMs).toFixed(3)),
      redis_cpu_signs_per_delivery: Number((redisCpuMs / total / signMs).toFixed(3)),
      // Commands Redis executed over the delivery phase (INFO commandstats), per delivery; a script's own calls count apart.
      redis_commands_per_delivery: Number((sumValues(redisCalls) / total).toFixed(2)),
      redis_calls_per_delivery: Object.fromEntries(Object.entries(redisCalls).map(([command, calls]) => [command, Number((calls / total).toFixed(3))])),
      sign_post_floor_per_s: Math.round(floor.perS),
      floor_ratio_to_sign: Number((floor.perS / rsaSignPerS).toFixed(3)),
      ratio_to_floor: Number((deliveriesPerS / floor.perS).toFixed(3)),
      floor_client_cpu_signs_per_delivery: Number((floor.clientCpuMs / floor.accepted / signMs).toFixed(3)),
      floor_failures: floor.failed,
    };
    process.stdout.write(
      `delivery: ${report.deliveries_per_s} deliveries/s, RSA-2048 sign ${report.rsa_sign_per_s}/s on 2 workers, ratio ${report.ratio_to_sign}, p99 ${report.p99_ms} ms; ` +
        `CPU per delivery in signs: replicas ${report.replica_cpu_signs_per_delivery}, simulator ${report.simulator_cpu_signs_per_delivery}, Redis ${report.redis_cpu_signs_per_delivery}; ` +
        `floor (sign + POST only) ${report.sign_post_floor_per_s}/s = ${report.floor_ratio_to_sign} of the sign rate, ratio to floor ${report.ratio_to_floor}\n`,
    );
    log(`wrote ${writeReport(workspace, 'delivery', report)}`);
  } finally {
    await stopChildren(replicas);
    redis.disconnect();
    await fediverse.stop();
    await Promise.allSettled([redisServer.stop(), pgServer.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Plays ingress: creates the ingress schema, its actor_keys table and the sender's key pair. */
async function createSenderKey(databaseUrl: string): Promise<{ keyId: string; publicKeyPem: string }> {
  const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
  try {
    await dataSource.query('CREATE SCHEMA "ingress"');
    const runner = dataSource.createQueryRunner();
    await createActorKeysTable(runner);
    await runner.release();
    return await new ActorKeyStore(dataSource, new KeyEncryption(KEY)).ensureKeyPair(ALICE, `${ALICE}#main-key`);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The floor: REPLICAS processes of the bench's sign-post-client role against the same simulator,
 * with a key of their own. The simulator's counters are reset afterwards for the delivery phase.
 */
async function measureFloor(fediverse: Fediverse, benchMain: string): Promise<{ perS: number; accepted: number; failed: number; clientCpuMs: number }> {
  const keyId = `${ALICE}#floor-key`;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  fediverse.trustKey(keyId, publicKey);
  const inboxes = fediverse.instances.map((instance) => instance.actors[0]?.inbox ?? '');
  const results = await Promise.all(
    Array.from({ length: REPLICAS }, (_, index) => {
      const config: SignPostClientConfig = { inboxes, keyId, actorId: ALICE, privateKeyPem: privateKey, seconds: FLOOR_SECONDS, concurrency: FLOOR_CONCURRENCY, name: `c${index}` };
      return runChildRole<SignPostClientResult>(benchMain, 'sign-post-client', config);
    }),
  );
  fediverse.resetCounters();
  const accepted = results.reduce((sum, r) => sum + r.accepted, 0);
  return {
    perS: results.reduce((sum, r) => sum + r.accepted / r.seconds, 0),
    accepted,
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    clientCpuMs: results.reduce((sum, r) => sum + r.cpuMs, 0),
  };
}

/** Runs `node <bench main> <role>` with its config and resolves with the JSON line it prints. */
function runChildRole<T>(benchMain: string, role: string, config: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, [benchMain, role], { env: { ...process.env, BENCH_CHILD_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(output) as T);
      else reject(new Error(`${role} exited with ${code}`));
    });
  });
}

