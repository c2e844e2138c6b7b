import { type ChildProcess } from 'node:child_process';

// Every server process this module started and that is still alive. On exit of the Node
// process they are SIGKILLed so no server outlives its owner (tests especially). Under Jest the
// sandboxed `process` never emits 'exit'; there the test harness' afterAll hook and the
// parent-death signal (see ManagedProcess) take over.
const alive = new Set<ChildProcess>();
let hooked = false;

export function trackChild(child: ChildProcess): void {
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  if (!hooked) {
    hooked = true;
    process.once('exit', killTrackedChildren);
  }
}

/** SIGKILLs every tracked child (its whole process group). Synchronous: safe inside 'exit'. */
export function killTrackedChildren(): void {
  for (const child of alive) {
    killGroup(child, 'SIGKILL');
  }
  alive.clear();
}

/** Signals the child's process group (children are spawned detached, as group leaders). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
