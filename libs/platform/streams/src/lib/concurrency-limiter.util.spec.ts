import { ConcurrencyLimiter } from './concurrency-limiter.util';

async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('ConcurrencyLimiter', () => {
  it('caps slots in flight and hands freed slots out first come, first served', async () => {
    const limiter = new ConcurrencyLimiter(2);
    await limiter.acquire();
    await limiter.acquire();
    const order: string[] = [];
    const third = limiter.acquire().then(() => order.push('third'));
    const fourth = limiter.acquire().then(() => order.push('fourth'));
    expect(await settled(third)).toBe(false);
    limiter.release();
    await third;
    expect(order).toEqual(['third']);
    expect(limiter.inFlight).toBe(2);
    limiter.release();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
  });

  it('whenFree waits for enough room without taking it', async () => {
    const limiter = new ConcurrencyLimiter(4);
    for (let i = 0; i < 4; i++) await limiter.acquire();
    const room = limiter.whenFree(3);
    limiter.release();
    limiter.release();
    expect(await settled(room)).toBe(false);
    limiter.release();
    await room;
    expect(limiter.free).toBe(3);
    // More than the limit means "all of it".
    const all = limiter.whenFree(100);
    expect(await settled(all)).toBe(false);
    limiter.release();
    await all;
  });

  it('whenIdle resolves once nothing is in flight', async () => {
    const limiter = new ConcurrencyLimiter(3);
    await expect(limiter.whenIdle()).resolves.toBeUndefined();
    await limiter.acquire();
    const idle = limiter.whenIdle();
    expect(await settled(idle)).toBe(false);
    limiter.release();
    await idle;
  });

  it('rejects a bad limit and a release without acquire', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(/integer >= 1/);
    expect(() => new ConcurrencyLimiter(2).release()).toThrow(/without acquire/);
  });
});
