import { BatchQueue } from './batch-queue.util';

describe('BatchQueue', () => {
  it('sends what was queued in one turn as one command per key', async () => {
    const sent: Array<[string, string[]]> = [];
    const queue = new BatchQueue(async (key, items) => void sent.push([key, [...items]]), 100);
    await Promise.all([queue.add('a', '1'), queue.add('a', '2'), queue.add('b', '3'), queue.add('a', '4')]);
    expect(sent).toEqual([
      ['a', ['1', '2', '4']],
      ['b', ['3']],
    ]);
  });

  it('settles a caller only when the command carrying its item did', async () => {
    let release!: () => void;
    const queue = new BatchQueue(() => new Promise<void>((resolve) => (release = resolve)), 10);
    let acked = false;
    const ack = queue.add('a', '1').then(() => (acked = true));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(acked).toBe(false);
    release();
    await ack;
    expect(acked).toBe(true);
  });

  it('splits at maxBatch and fails every item of a failed command', async () => {
    const sizes: number[] = [];
    const queue = new BatchQueue(async (_key, items) => {
      sizes.push(items.length);
      if (items.includes('bad')) throw new Error('XACK failed');
    }, 2);
    const results = await Promise.allSettled([queue.add('k', 'a'), queue.add('k', 'bad'), queue.add('k', 'c')]);
    expect(sizes).toEqual([2, 1]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });

  it('flush() sends at once and waits for everything in flight', async () => {
    const sent: string[] = [];
    const queue = new BatchQueue(async (_key, items) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      sent.push(...items);
    }, 100);
    void queue.add('k', 'x');
    await queue.flush();
    expect(sent).toEqual(['x']);
  });

  it('answers each caller with its own item\'s answer when the command gives one per item', async () => {
    const queue = new BatchQueue<number, string>(async (key, items) => items.map((item) => `${key}:${item}`), 100);
    expect(await Promise.all([queue.add('a', 1), queue.add('b', 2), queue.add('a', 3)])).toEqual(['a:1', 'b:2', 'a:3']);
  });

  it('fails every item when the command throws or answers the wrong number of items', async () => {
    const throwing = new BatchQueue<number, number>(() => {
      throw new Error('thrown');
    }, 100);
    const short = new BatchQueue<number, number>(async () => [1], 100);
    for (const queue of [throwing, short]) {
      const results = await Promise.allSettled([queue.add('k', 1), queue.add('k', 2)]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    }
  });
});
