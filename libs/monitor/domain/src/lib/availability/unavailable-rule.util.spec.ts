import {
  applyAvailabilityOutcome,
  availabilityConfig,
  initialAvailability,
  parseAvailability,
  recordContact,
  recordDeliveryFailure,
  type AvailabilityEvent,
  type AvailabilityState,
} from './unavailable-rule.util';
import { MonitorDomainError } from '../monitor-domain.exception';

const DAY = 24 * 60 * 60 * 1000;
const D1 = Date.UTC(2026, 10, 1, 9, 30, 0); // 2026-11-01, mid-morning UTC

/** Failed deliveries at the given times; returns the state and every event. */
function failAt(state: AvailabilityState, times: number[]): { state: AvailabilityState; events: AvailabilityEvent[] } {
  const events: AvailabilityEvent[] = [];
  let s = state;
  for (const at of times) {
    const result = recordDeliveryFailure(s, at);
    s = result.state;
    events.push(...result.events);
  }
  return { state: s, events };
}

const days = (first: number, count: number, step = 1): number[] => Array.from({ length: count }, (_, i) => first + i * step * DAY);

describe('unavailable rule', () => {
  it('failures on 6 distinct days leave the host available', () => {
    const { state, events } = failAt(initialAvailability('r.example'), days(D1, 6));
    expect(state).toMatchObject({ unavailable: false, failureDays: ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'] });
    expect(events).toEqual([]);
  });

  it('the 7th distinct failure day marks it unavailable', () => {
    const times = days(D1, 7);
    const { state, events } = failAt(initialAvailability('r.example'), times);
    expect(state).toMatchObject({ unavailable: true, unavailableSince: times[6] });
    expect(events).toEqual([{
      type: 'marked-unavailable', host: 'r.example', at: times[6],
      failureDays: ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07'],
    }]);
  });

  it('days need not be consecutive', () => {
    expect(failAt(initialAvailability('r.example'), days(D1, 7, 3)).state.unavailable).toBe(true);
  });

  it('many failures on one day count once', () => {
    const sameDay = Array.from({ length: 500 }, (_, i) => D1 + i * 60_000);
    expect(failAt(initialAvailability('r.example'), sameDay).state.failureDays).toEqual(['2026-11-01']);
  });

  it('days are UTC days: 23:59 and 00:01 UTC are two days', () => {
    const lateNight = Date.UTC(2026, 10, 1, 23, 59, 0);
    expect(failAt(initialAvailability('r.example'), [lateNight, lateNight + 2 * 60_000]).state.failureDays).toEqual(['2026-11-01', '2026-11-02']);
  });

  it('a success in between starts the count again', () => {
    const six = failAt(initialAvailability('r.example'), days(D1, 6)).state;
    const afterSuccess = recordContact(six, D1 + 6 * DAY, 'delivery-success').state;
    expect(afterSuccess.failureDays).toEqual([]);
    const sixMore = failAt(afterSuccess, days(D1 + 7 * DAY, 6));
    expect(sixMore.state.unavailable).toBe(false);
    expect(failAt(sixMore.state, [D1 + 13 * DAY]).state.unavailable).toBe(true);
  });

  it('an inbound request clears the mark', () => {
    const unavailable = failAt(initialAvailability('r.example'), days(D1, 7)).state;
    const at = D1 + 10 * DAY;
    const { state, events } = recordContact(unavailable, at, 'inbound-request');
    expect(state).toMatchObject({ unavailable: false, unavailableSince: null, failureDays: [] });
    expect(events).toEqual([{ type: 'marked-available', host: 'r.example', at, source: 'inbound-request' }]);
  });

  it('contact with an available host emits nothing', () => {
    const state = initialAvailability('r.example');
    expect(recordContact(state, D1, 'inbound-request')).toEqual({ state, events: [] });
  });

  it('failures while already unavailable emit nothing more and stay bounded', () => {
    const unavailable = failAt(initialAvailability('r.example'), days(D1, 7)).state;
    const { state, events } = failAt(unavailable, days(D1 + 7 * DAY, 30));
    expect(events).toEqual([]);
    expect(state.failureDays).toHaveLength(7);
    expect(state.unavailableSince).toBe(unavailable.unavailableSince);
  });

  it('routes outcomes: failure counts, success and rejected clear, 429 does neither', () => {
    const six = failAt(initialAvailability('r.example'), days(D1, 6)).state;
    const at = D1 + 6 * DAY;
    expect(applyAvailabilityOutcome(six, 'rate-limited', at).state).toBe(six);
    expect(applyAvailabilityOutcome(six, 'failure', at).state.unavailable).toBe(true);
    expect(applyAvailabilityOutcome(six, 'success', at).state.failureDays).toEqual([]);
    expect(applyAvailabilityOutcome(six, 'rejected', at).state.failureDays).toEqual([]);
  });

  it('the threshold is configurable', () => {
    const config = availabilityConfig({ failureDaysThreshold: 2 });
    const one = recordDeliveryFailure(initialAvailability('r.example'), D1, config).state;
    expect(recordDeliveryFailure(one, D1 + DAY, config).state.unavailable).toBe(true);
    expect(() => availabilityConfig({ failureDaysThreshold: 0 })).toThrow(MonitorDomainError);
  });
});

describe('parseAvailability', () => {
  it('round-trips through JSON', () => {
    const state = failAt(initialAvailability('r.example'), days(D1, 7)).state;
    expect(parseAvailability(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a bad day', { failureDays: ['01/11/2026'] }],
    ['unavailable without since', { unavailable: true, unavailableSince: null }],
    ['since without unavailable', { unavailable: false, unavailableSince: D1 }],
    ['a non-boolean flag', { unavailable: 'yes' }],
  ])('rejects %s', (_name, patch) => {
    expect(() => parseAvailability({ ...initialAvailability('r.example'), ...patch })).toThrow(MonitorDomainError);
  });
});
