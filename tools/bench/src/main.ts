// Benchmarks: `node dist/tools/bench/main.js <name> [--messages N] [--runs N]`.
import 'reflect-metadata';
import { run as runDeliveryBenchmark } from './delivery.bench';
import { run as runIngressBenchmark } from './ingress.bench';
import { run as runMonitorBenchmark } from './monitor.bench';
import { runSignPostClient, type SignPostClientConfig } from './sign-post-client';
import { runStreamsBenchmark } from './streams.bench';

export interface BenchArgs {
  messages?: number;
  runs?: number;
  /** Where tmp/bench/<name>.json goes; default the current directory (the workspace root under npm). */
  outputRoot?: string;
}

const benchmarks: Record<string, (args: BenchArgs) => Promise<void>> = {
  streams: runStreamsBenchmark,
  ingress: runIngressBenchmark,
  delivery: runDeliveryBenchmark,
  monitor: runMonitorBenchmark,
};

function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag !== '--messages' && flag !== '--runs') throw new Error(`Unknown option ${flag}`);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
    if (flag === '--messages') args.messages = value;
    else args.runs = value;
    i++;
  }
  return args;
}

/** Child processes a benchmark starts itself (config as JSON in BENCH_CHILD_CONFIG); not for use by hand. */
const childRoles: Record<string, (config: unknown) => Promise<unknown>> = {
  'sign-post-client': (config) => runSignPostClient(config as SignPostClientConfig),
};

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const child = name === undefined ? undefined : childRoles[name];
  if (child) {
    process.stdout.write(`${JSON.stringify(await child(JSON.parse(process.env['BENCH_CHILD_CONFIG'] ?? '{}')))}\n`);
    return;
  }
  const run = name === undefined ? undefined : benchmarks[name];
  if (!run) {
    process.stderr.write(`usage: bench <${Object.keys(benchmarks).join('|')}> [--messages N] [--runs N]\n`);
    process.exitCode = 2;
    return;
  }
  await run(parseArgs(rest));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
