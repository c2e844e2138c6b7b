// Runs the interop steps in order and reports each one: PASS, FAIL (with why), or SKIP when an
// earlier step failed (every step builds on the ones before it).

export type Outcome = 'PASS' | 'FAIL' | 'SKIP';

export interface Step {
  readonly name: string;
  /** Resolves with a one-line detail on success; throws (with the reason) on failure. */
  readonly run: () => Promise<string>;
}

export interface StepResult {
  readonly name: string;
  readonly outcome: Outcome;
  readonly detail: string;
}

export function formatResult(index: number, result: StepResult): string {
  const lines = result.detail.split('\n');
  const head = `${result.outcome.padEnd(4)}  ${String(index + 1).padStart(2)}. ${result.name}${lines[0] ? `: ${lines[0]}` : ''}`;
  return [head, ...lines.slice(1).map((line) => `          ${line}`)].join('\n');
}

/** Runs `steps`, writing each result as it is known; true only when every step passed. */
export async function runSteps(steps: readonly Step[], write: (line: string) => void): Promise<{ ok: boolean; results: StepResult[] }> {
  const results: StepResult[] = [];
  let failed = false;
  for (const step of steps) {
    let result: StepResult;
    if (failed) {
      result = { name: step.name, outcome: 'SKIP', detail: 'an earlier step failed' };
    } else {
      try {
        result = { name: step.name, outcome: 'PASS', detail: await step.run() };
      } catch (error) {
        failed = true;
        result = { name: step.name, outcome: 'FAIL', detail: error instanceof Error ? error.message : String(error) };
      }
    }
    write(formatResult(results.length, result));
    results.push(result);
  }
  const passed = results.filter((r) => r.outcome === 'PASS').length;
  const ok = steps.length > 0 && passed === steps.length;
  write(`${ok ? 'PASS' : 'FAIL'}: ${passed}/${steps.length} steps passed`);
  return { ok, results };
}
