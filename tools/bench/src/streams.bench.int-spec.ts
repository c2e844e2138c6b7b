import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStreamsBenchmark } from './streams.bench';

describe('streams benchmark', () => {
  it('measures every case and writes the report', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bench-streams-'));
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runStreamsBenchmark({ messages: 300, runs: 1, outputRoot: root });
      const report = JSON.parse(readFileSync(join(root, 'tmp', 'bench', 'streams.json'), 'utf8')) as Record<string, unknown>;
      expect(report).toMatchObject({
        benchmark: 'streams',
        messages_per_case: 300,
        runs: 1,
        transport_msgs_per_s: expect.any(Number),
        transport_by_batch_size: { '1': expect.any(Number), '10': expect.any(Number), '100': expect.any(Number) },
        raw_msgs_per_s: expect.any(Number),
        bullmq_jobs_per_s: expect.any(Number),
      });
      const best = Math.max(...Object.values(report['transport_by_batch_size'] as Record<string, number>));
      expect(report['transport_msgs_per_s']).toBe(best);
      expect(report['ratio_to_raw']).toBeCloseTo(best / (report['raw_msgs_per_s'] as number), 1);
      expect(String(stdout.mock.calls.map((c) => c[0]).join(''))).toContain('raw XADD x100 / XREADGROUP 100 / XACK');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
