import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { trackChild, killGroup } from './child-tracker.util';
import { findExecutable } from './executables.util';
import { type SystemUser } from './system-user.util';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (e.g. ENOENT). */
  error?: Error;
}

export interface ManagedProcessOptions {
  command: string;
  args: readonly string[];
  /** stdout and stderr are appended to this file by the child itself (no pipe through Node). */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this account (needs root). */
  user?: SystemUser;
  /** SIGKILL the child when this Node process dies, even by SIGKILL (util-linux setpriv). Default true. */
  dieWithParent?: boolean;
}

let setprivPath: string | null | undefined;

/**
 * Wraps a command so that the kernel sends it `signal` when this Node process dies (even by
 * SIGKILL), through util-linux `setpriv --pdeathsig`. Without setpriv the command is unchanged.
 */
export function withParentDeathSignal(command: string, args: readonly string[], signal: 'KILL' | 'TERM' = 'KILL'): [string, string[]] {
  if (setprivPath === undefined) setprivPath = findExecutable('setpriv') ?? null;
  return setprivPath ? [setprivPath, ['--pdeathsig', signal, '--', command, ...args]] : [command, [...args]];
}

/**
 * One spawned server process: detached into its own process group (so Ctrl-C in a terminal
 * reaches only the supervisor, and kill() can take the whole group, e.g. postgres backends),
 * logging straight into a file, tracked for kill-on-exit.
 */
export class ManagedProcess {
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise<ExitInfo>((resolve) => {
      child.once('exit', (code, signal) => resolve((this.exitInfo = { code, signal })));
      child.on('error', (error) => {
        if (child.pid === undefined) resolve((this.exitInfo = { code: null, signal: null, error }));
      });
    });
  }

  static spawn(options: ManagedProcessOptions): ManagedProcess {
    const [command, args] =
      options.dieWithParent === false ? [options.command, [...options.args]] : withParentDeathSignal(options.command, options.args);
    const fd = openSync(options.logFile, 'a');
    try {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env,
        uid: options.user?.uid,
        gid: options.user?.gid,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
      // A forgotten server must not keep the event loop (or Jest) alive; the tracker kills it.
      child.unref();
      if (child.pid !== undefined) trackChild(child);
      return new ManagedProcess(child, options.logFile);
    } finally {
      closeSync(fd);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** An Error describing the exit once the process has exited, else undefined (for waitFor's abortWhen). */
  exitError(what: string): Error | undefined {
    const exit = this.exitInfo;
    if (!exit) return undefined;
    if (exit.error) return new Error(`${what} could not be started: ${exit.error.message}`);
    return new Error(`${what} exited with ${exit.signal ?? `code ${String(exit.code)}`}`);
  }

  /** Sends a signal to the main process only (servers shut their own children down). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Resolves with the exit, or undefined when it has not exited within the time. */
  async waitForExit(timeoutMs: number): Promise<ExitInfo | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Graceful stop with `signal`; SIGKILLs the whole group if it is not gone after `graceMs`. */
  async terminate(signal: NodeJS.Signals, graceMs: number): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    this.signal(signal);
    const exit = await this.waitForExit(graceMs);
    return exit ?? this.kill();
  }

  /** SIGKILL of the whole process group, as an OOM kill or a lost machine would do. */
  async kill(): Promise<ExitInfo> {
    killGroup(this.child, 'SIGKILL');
    return this.exited;
  }

  /** The last `lines` lines of the log file (for error messages). */
  logTail(lines = 20): string {
    return readLogTail(this.logFile, lines);
  }
}

/** The last `lines` lines of a text file, reading at most its last 16 KiB. */
export function readLogTail(file: string, lines = 20): string {
  let fd: number | undefined;
  try {
    const size = statSync(file).size;
    const length = Math.min(size, 16_384);
    const buffer = Buffer.alloc(length);
    fd = openSync(file, 'r');
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').split('\n').filter((line) => line.trim() !== '').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
