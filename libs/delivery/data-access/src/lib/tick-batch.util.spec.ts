import { TickBatch } from './tick-batch.util';

describe('TickBatch', () => {
  it('runs the calls of one tick as one batch per key, in call order, and answers each call', async () => {
    const runs: Array<[string, readonly number[]]> = [];
    const batch = new TickBatch<number, string>(async (key, items) => {
      runs.push([key, items]);
      return items.map((item) => `${key}:${item}`);
    });
    const results = await Promise.all([batch.add('a', 1), batch.add('b', 2), batch.add('a', 3)]);
    expect(results).toEqual(['a:1', 'b:2', 'a:3']);
    expect(runs).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
    // A later tick is a new batch.
    expect(await batch.add('a', 4)).toBe('a:4');
    expect(runs).toHaveLength(3);
  });

  it('splits a key with more than maxItems calls', async () => {
    const sizes: number[] = [];
    const batch = new TickBatch<number, number>(async (_key, items) => {
      sizes.push(items.length);
      return items;
    }, 2);
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => batch.add('k', n)))).toEqual([1, 2, 3, 4, 5]);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('rejects every call of a failing batch, whether the runner rejects, throws or answers the wrong count', async () => {
    const failing = [
      new TickBatch<number, number>(() => Promise.reject(new Error('down'))),
      new TickBatch<number, number>(() => {
        throw new Error('thrown');
      }),
      new TickBatch<number, number>(async () => [1]),
    ];
    for (const batch of failing) {
      const outcomes = await Promise.allSettled([batch.add('k', 1), batch.add('k', 2)]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    }
  });
});
