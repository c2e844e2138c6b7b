import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatNumber, formatTable, median, writeReport } from './report.util';

describe('bench report', () => {
  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/median of nothing/);
  });

  it('formats a table with aligned columns', () => {
    expect(formatTable(['case', 'rate'], [['raw', 47123.4], ['transport, batch 100', 25000]])).toBe(
      ['case                  rate', '--------------------  ------', 'raw                   47,123', 'transport, batch 100  25,000'].join('\n'),
    );
    expect(formatNumber(0.5)).toBe('0.50');
  });

  it('writes tmp/bench/<name>.json under the given root', () => {
    const root = mkdtempSync(join(tmpdir(), 'bench-report-'));
    try {
      const path = writeReport(root, 'streams', { ratio_to_raw: 0.6 });
      expect(path).toBe(join(root, 'tmp', 'bench', 'streams.json'));
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ratio_to_raw: 0.6 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
