import { BehaviourPlan } from './behaviour-plan.util';
import { behaviours, formatRetryAfter } from './behaviour.util';

describe('behaviours', () => {
  it('validates arguments', () => {
    expect(() => behaviours.fail(302)).toThrow(RangeError);
    expect(() => behaviours.slow(-1)).toThrow(RangeError);
    expect(() => behaviours.rateLimited(1.5)).toThrow(RangeError);
    expect(() => behaviours.rateLimited(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => behaviours.sequence([])).toThrow(RangeError);
    expect(() => behaviours.sequence([behaviours.sequence([behaviours.gone()])])).toThrow('nested');
    expect(() => behaviours.repeat(0, behaviours.ok())).toThrow(RangeError);
  });

  it('formats Retry-After as seconds or as an HTTP-date', () => {
    expect(formatRetryAfter(30)).toBe('30');
    expect(formatRetryAfter(new Date(Date.UTC(2026, 10, 22, 8, 0, 0)))).toBe('Sun, 22 Nov 2026 08:00:00 GMT');
  });
});

describe('BehaviourPlan', () => {
  it('repeats a plain behaviour', () => {
    const plan = new BehaviourPlan(behaviours.gone());
    expect([plan.next(), plan.next()]).toEqual([{ kind: 'gone' }, { kind: 'gone' }]);
    expect(plan.remainingSteps()).toBe(0);
  });

  it('plays a sequence step by step, then its final behaviour forever', () => {
    const plan = new BehaviourPlan(behaviours.sequence([...behaviours.repeat(2, behaviours.fail500()), behaviours.rateLimited(5)]));
    expect(plan.remainingSteps()).toBe(3);
    const kinds = Array.from({ length: 5 }, () => plan.next().kind);
    expect(kinds).toEqual(['fail', 'fail', 'rateLimited', 'ok', 'ok']);
    expect(plan.remainingSteps()).toBe(0);
  });

  it('refuses nested sequences built by hand', () => {
    const inner = { kind: 'sequence', steps: [{ kind: 'ok' }], then: { kind: 'ok' } } as const;
    expect(() => new BehaviourPlan({ kind: 'sequence', steps: [inner], then: { kind: 'ok' } })).toThrow('nested');
  });
});
