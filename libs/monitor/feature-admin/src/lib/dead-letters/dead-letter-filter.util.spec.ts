import { type DeadLetter } from '@peerfed/platform/streams';
import { hostOf, matchesFilter } from './dead-letter-filter.util';

function deadLetter(payload: unknown, extra: Partial<DeadLetter> = {}): DeadLetter {
  return {
    id: '1-0', stream: 'delivery.tasks.v1', group: 'delivery', consumer: 'c', priority: 'medium', reason: 'max-deliveries', error: 'boom',
    deliveries: 5, deadAt: '2026-11-22T12:00:00.000Z', sourceKey: '{delivery.tasks.v1}:medium', sourceId: '1-0',
    envelope: { id: 'x', type: 'delivery.task', schemaVersion: 1, traceId: 't', createdAt: '2026-11-22T12:00:00Z', payload: payload as object },
    rawEnvelope: '{}',
    ...extra,
  };
}

describe('dead letter filters', () => {
  it('finds the host in host, inboxUrl or inbox', () => {
    expect(hostOf(deadLetter({ host: 'A.example' }))).toBe('a.example');
    expect(hostOf(deadLetter({ inboxUrl: 'https://b.example:8443/inbox' }))).toBe('b.example:8443');
    expect(hostOf(deadLetter({ inbox: 'not a url' }))).toBeNull();
    expect(hostOf(deadLetter(null, { envelope: null }))).toBeNull();
  });

  it('matches every given condition and nothing else', () => {
    const d = deadLetter({ host: 'a.example' });
    expect(matchesFilter(d, {})).toBe(true);
    expect(matchesFilter(d, { group: 'delivery', failure: 'max-deliveries', type: 'delivery.task', host: 'A.EXAMPLE' })).toBe(true);
    expect(matchesFilter(d, { group: 'monitor' })).toBe(false);
    expect(matchesFilter(d, { failure: 'invalid' })).toBe(false);
    expect(matchesFilter(d, { type: 'other.type' })).toBe(false);
    expect(matchesFilter(d, { host: 'b.example' })).toBe(false);
  });
});
