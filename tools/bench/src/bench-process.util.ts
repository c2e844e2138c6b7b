import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Redis } from 'ioredis';

/** Progress lines go to stderr, so stdout stays the report. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** BENCH_CPU_PROF_DIR=<dir>: node flags that make a child process write a V8 CPU profile there on exit. */
export function profileArgs(): string[] {
  const dir = process.env['BENCH_CPU_PROF_DIR'];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** SIGTERM to each child still running; resolves once all have exited (their ports are free then). */
export async function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

/** CPU seconds (user + system) a process has used so far (Linux /proc); undefined elsewhere or when it is gone. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the parenthesised command name (which may contain spaces): utime and stime are
    // the 12th and 13th, in clock ticks (100 Hz on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) each process spent from now until the returned function is called; undefined without /proc. */
export function cpuMeter(pids: readonly (number | undefined)[]): () => (number | undefined)[] {
  const start = pids.map(processCpuSeconds);
  return () => pids.map((pid, i) => {
    const [before, after] = [start[i], processCpuSeconds(pid)];
    return before === undefined || after === undefined ? undefined : after - before;
  });
}

/** `cmdstat_<name>:calls=N,...` lines of INFO commandstats as { name: N }. */
function parseCommandStats(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] !== 'info' && match[1] !== 'config') calls[match[1] ?? ''] = Number(match[2]);
  }
  return calls;
}

export function sumValues(values: Record<string, number>): number {
  return Object.values(values).reduce((sum, value) => sum + value, 0);
}

/** Calls per command Redis executed since the last CONFIG RESETSTAT (the bench's own INFO and CONFIG left out). */
export async function commandCalls(redis: Redis): Promise<Record<string, number>> {
  return parseCommandStats(String(await redis.info('commandstats')));
}
