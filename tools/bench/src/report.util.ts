import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export type Cell = string | number;

/** A plain-text table with right-aligned numbers, for a terminal. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const text = (cell: Cell): string => (typeof cell === 'number' ? formatNumber(cell) : cell);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => text(row[column] ?? '').length)));
  const line = (cells: readonly Cell[]): string =>
    cells
      .map((cell, column) => (typeof cell === 'number' ? text(cell).padStart(widths[column]) : text(cell).padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

/** Writes `tmp/bench/<name>.json` under `root` (the workspace); returns its path. */
export function writeReport(root: string, name: string, report: unknown): string {
  const path = resolve(root, 'tmp', 'bench', `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
