import { formatResult, runSteps, type Step } from './report.mjs';

describe('runSteps', () => {
  it('passes when every step passes and writes one line per step and a summary', async () => {
    const lines: string[] = [];
    const steps: Step[] = [
      { name: 'one', run: async () => 'fine' },
      { name: 'two', run: async () => 'also fine' },
    ];
    const { ok } = await runSteps(steps, (l) => lines.push(l));
    expect(ok).toBe(true);
    expect(lines).toEqual(['PASS   1. one: fine', 'PASS   2. two: also fine', 'PASS: 2/2 steps passed']);
  });

  it('fails on the first failing step and skips the rest without running them', async () => {
    const lines: string[] = [];
    const third = jest.fn(async () => 'never');
    const { ok, results } = await runSteps(
      [
        { name: 'one', run: async () => 'fine' },
        { name: 'two', run: async () => Promise.reject(new Error('no Accept within 30 s\ninbox: 401')) },
        { name: 'three', run: third },
      ],
      (l) => lines.push(l),
    );
    expect(ok).toBe(false);
    expect(third).not.toHaveBeenCalled();
    expect(results.map((r) => r.outcome)).toEqual(['PASS', 'FAIL', 'SKIP']);
    expect(lines[1]).toBe('FAIL   2. two: no Accept within 30 s\n          inbox: 401');
    expect(lines.at(-1)).toBe('FAIL: 1/3 steps passed');
  });

  it('is not a pass with no steps at all', async () => {
    await expect(runSteps([], () => undefined)).resolves.toEqual({ ok: false, results: [] });
  });
});

describe('formatResult', () => {
  it('prints a step without detail on one line', () => {
    expect(formatResult(9, { name: 'x', outcome: 'SKIP', detail: '' })).toBe('SKIP  10. x');
  });
});
