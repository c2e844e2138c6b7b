import { formatReadyTable, maskUrl } from './ready-table.util';

describe('formatReadyTable', () => {
  it('pads every column to its widest cell', () => {
    const table = formatReadyTable([
      { service: 'ingress', url: 'http://localhost:3000', healthUrl: 'http://localhost:3000/health/ready', status: 'ready' },
      { service: 'challenges', url: 'http://localhost:3004', healthUrl: 'http://localhost:3004/health/ready', status: 'ready' },
    ]);
    expect(table.split('\n')).toEqual([
      'service     URL                    health                              status',
      '----------  ---------------------  ----------------------------------  ------',
      'ingress     http://localhost:3000  http://localhost:3000/health/ready  ready',
      'challenges  http://localhost:3004  http://localhost:3004/health/ready  ready',
    ]);
  });
});

describe('maskUrl', () => {
  it('hides a password and leaves URLs without one alone', () => {
    expect(maskUrl('postgres://app:secret@db:5432/peerfed')).toBe('postgres://app:****@db:5432/peerfed');
    expect(maskUrl('redis://127.0.0.1:56379')).toBe('redis://127.0.0.1:56379');
    expect(maskUrl('not a url')).toBe('not a url');
  });
});
