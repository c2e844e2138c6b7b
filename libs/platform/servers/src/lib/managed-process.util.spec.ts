import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, readLogTail } from './managed-process.util';
import { waitFor } from './wait-for.util';

describe('ManagedProcess', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'peerfed-managed-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes stdout and stderr to the log file and reports the exit code', async () => {
    const logFile = join(dir, 'out.log');
    const proc = ManagedProcess.spawn({ command: 'sh', args: ['-c', 'echo one; echo two >&2; exit 3'], logFile });
    const exit = await proc.waitForExit(5_000);
    expect(exit).toEqual({ code: 3, signal: null });
    expect(proc.running).toBe(false);
    expect(proc.exitError('sh')?.message).toBe('sh exited with code 3');
    expect(readLogTail(logFile).split('\n')).toEqual(['one', 'two']);
  });

  it('terminate() escalates to SIGKILL of the whole group when the signal is ignored', async () => {
    const logFile = join(dir, 'stubborn.log');
    // The shell ignores TERM and has a child of its own: both must go.
    const proc = ManagedProcess.spawn({ command: 'sh', args: ['-c', "trap '' TERM; sleep 30 & echo started; wait"], logFile });
    await waitFor(() => readLogTail(logFile).includes('started'), { timeoutMs: 5_000 });
    const exit = await proc.terminate('SIGTERM', 200);
    expect(exit.signal).toBe('SIGKILL');
    // The group's last member (sleep) is reaped by init a moment later.
    const groupGone = (): boolean => {
      try {
        process.kill(-(proc.pid ?? 0), 0);
        return false;
      } catch {
        return true;
      }
    };
    await waitFor(groupGone, { timeoutMs: 3_000, description: 'the process group to be gone' });
  });

  it('readLogTail keeps only the last lines and tolerates a missing file', () => {
    const file = join(dir, 'long.log');
    writeFileSync(file, Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n');
    expect(readLogTail(file, 3)).toBe('line 27\nline 28\nline 29');
    expect(readLogTail(join(dir, 'missing.log'))).toBe('(no log)');
  });
});
