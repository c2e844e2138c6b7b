import { type IngressRedis } from './ingress-redis.util';
import { RedisJsonCache } from './redis-json.cache';

function fakeRedis(overrides: Partial<Record<'get' | 'set' | 'del', jest.Mock>>): IngressRedis {
  const fail = (name: string) => jest.fn(() => Promise.reject(new Error(`unexpected ${name}`)));
  return { get: overrides.get ?? fail('get'), set: overrides.set ?? fail('set'), del: overrides.del ?? fail('del') } as unknown as IngressRedis;
}

describe('RedisJsonCache', () => {
  it('returns a hit without loading, and caches a loaded value with its TTL', async () => {
    const set = jest.fn(() => Promise.resolve('OK'));
    const cache = new RedisJsonCache(fakeRedis({ get: jest.fn().mockResolvedValueOnce(JSON.stringify({ a: 1 })).mockResolvedValueOnce(null), set }));
    const load = jest.fn(() => Promise.resolve({ b: 2 }));
    expect(await cache.getOrLoad('k', 60, load)).toEqual({ a: 1 });
    expect(load).not.toHaveBeenCalled();
    expect(await cache.getOrLoad('k', 60, load)).toEqual({ b: 2 });
    expect(set).toHaveBeenCalledWith('k', '{"b":2}', 'EX', 60);
  });

  it('fails open: with Redis down, reads miss and writes and deletes are skipped', async () => {
    const down = jest.fn(() => Promise.reject(new Error('Connection is closed.')));
    const cache = new RedisJsonCache(fakeRedis({ get: down, set: down, del: down }));
    expect(await cache.getOrLoad('k', 60, () => Promise.resolve(7))).toBe(7);
    await expect(cache.delete('a', 'b')).resolves.toBeUndefined();
    expect(down).toHaveBeenCalledTimes(4);
  });
});
