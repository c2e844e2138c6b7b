/** Progress lines go to stderr, so stdout stays the report. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** BENCH_CPU_PROF_DIR=<dir>: node flags that make a child process write a V8 CPU profile there on exit. */
export function profileArgs(): string[] {
  const dir = process.env['BENCH_CPU_PROF_DIR'];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
