import { boundedMemo } from './bounded-memo.util';

describe('boundedMemo', () => {
  it('computes each key once, remembers falsy answers too, and remembers nothing for a throw', () => {
    const calls: string[] = [];
    const length = boundedMemo((key: string) => {
      calls.push(key);
      if (key === 'bad') throw new Error('bad key');
      return key.length;
    });
    expect([length('ab'), length('ab'), length(''), length('')]).toEqual([2, 2, 0, 0]);
    expect(() => length('bad')).toThrow('bad key');
    expect(() => length('bad')).toThrow('bad key');
    expect(calls).toEqual(['ab', '', 'bad', 'bad']);
  });

  it('keeps at most `limit` answers, dropping the oldest first', () => {
    const calls: number[] = [];
    const double = boundedMemo((n: number) => {
      calls.push(n);
      return n * 2;
    }, 2);
    [1, 2, 3].forEach((n) => double(n));
    expect(double(3)).toBe(6);
    expect(double(1)).toBe(2);
    expect(calls).toEqual([1, 2, 3, 1]);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => boundedMemo((n: number) => n, 0)).toThrow(RangeError);
  });
});
