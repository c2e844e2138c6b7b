import { PriorityShares } from './priority-shares.util';

function total(shares: number[][]): number[] {
  return shares.reduce((sum, s) => sum.map((v, i) => v + s[i]), [0, 0, 0, 0]);
}

describe('PriorityShares', () => {
  it('gives 8:4:2:1 of every 15 slots, critical first', () => {
    const shares = new PriorityShares();
    expect(shares.next(15)).toEqual([8, 4, 2, 1]);
    expect(shares.next(15)).toEqual([8, 4, 2, 1]);
  });

  it('keeps the ratio across cycles of any size, so low is never starved', () => {
    const shares = new PriorityShares();
    const cycles = Array.from({ length: 30 }, () => shares.next(10));
    expect(cycles.every((c) => c.reduce((a, b) => a + b, 0) === 10)).toBe(true);
    expect(total(cycles)).toEqual([160, 80, 40, 20]);
  });

  it('serves every lane within 15 slots even one slot at a time', () => {
    const shares = new PriorityShares();
    const order = Array.from({ length: 15 }, () => shares.next(1).indexOf(1));
    expect(order[0]).toBe(0);
    expect(new Set(order)).toEqual(new Set([0, 1, 2, 3]));
    expect(order.filter((lane) => lane === 3)).toHaveLength(1);
  });

  it('takes custom weights and rejects nonsense', () => {
    expect(new PriorityShares({ critical: 1, high: 1, medium: 1, low: 1 }).next(8)).toEqual([2, 2, 2, 2]);
    expect(() => new PriorityShares({ critical: 8, high: 4, medium: 2, low: 0 })).toThrow(/low must be an integer >= 1/);
  });
});
