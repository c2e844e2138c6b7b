export interface ReadyRow {
  service: string;
  url: string;
  healthUrl: string;
  status: string;
}

/** A plain-text table, columns padded to their widest cell. */
export function formatReadyTable(rows: readonly ReadyRow[]): string {
  const header: ReadyRow = { service: 'service', url: 'URL', healthUrl: 'health', status: 'status' };
  const all = [header, ...rows];
  const keys = ['service', 'url', 'healthUrl', 'status'] as const;
  const widths = keys.map((key) => Math.max(...all.map((row) => row[key].length)));
  const line = (row: ReadyRow): string =>
    keys
      .map((key, i) => row[key].padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Hides the password of a connection URL before it is printed. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return url;
  }
}
