import { GroupCommit } from './group-commit.util';

describe('GroupCommit', () => {
  it('writes concurrent items in one batch and resolves each caller after the write', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number>(async (items) => {
      batches.push(items);
    }, 3, 1);
    await Promise.all([1, 2, 3, 4].map((n) => commit.add(n)));
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('rejects every caller of a failed batch', async () => {
    const commit = new GroupCommit<number>(() => Promise.reject(new Error('down')), 10, 1);
    const results = await Promise.allSettled([commit.add(1), commit.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
