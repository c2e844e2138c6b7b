import { Cluster, Redis } from 'ioredis';
import { type RedisStreamsConnectionOptions, assertConnectionOptions, createRedisConnection, reconnectDelay, withBlockTime } from './redis-connection.util';

describe('connection options', () => {
  it('need exactly one of url or cluster', () => {
    expect(() => assertConnectionOptions({})).toThrow(/exactly one of `url`/);
    expect(() => assertConnectionOptions({ url: 'redis://a:1', cluster: [{ host: 'a', port: 1 }] })).toThrow(/exactly one/);
    expect(() => assertConnectionOptions({ url: 'http://a:1' })).toThrow(/redis:\/\//);
    expect(() => assertConnectionOptions({ cluster: [{ host: 'a', port: 0 }] })).toThrow(/bad cluster node/);
    expect(() => assertConnectionOptions({ cluster: [{ host: '127.0.0.1', port: 7000 }] })).not.toThrow();
  });

  it('build a lazy client of the right kind', () => {
    const role = { name: 'test', blocking: false, isClosed: () => false };
    const single = createRedisConnection({ url: 'redis://127.0.0.1:1' }, role);
    const cluster = createRedisConnection({ cluster: [{ host: '127.0.0.1', port: 1 }] }, role);
    expect(single.status).toBe('wait');
    expect(cluster.status).toBe('wait');
    expect(single).toBeInstanceOf(Redis);
    expect(cluster).toBeInstanceOf(Cluster);
    single.disconnect();
    cluster.disconnect();
  });

  it('give blocking connections their block time on top of the command timeout', () => {
    expect(withBlockTime<RedisStreamsConnectionOptions>({ url: 'redis://a:1' }, 1000).commandTimeoutMs).toBe(11_000);
    expect(withBlockTime({ url: 'redis://a:1', commandTimeoutMs: 500 }, 200).commandTimeoutMs).toBe(700);
    expect(() => withBlockTime({ url: 'redis://a:1', commandTimeoutMs: 0 }, 1)).toThrow(/commandTimeoutMs/);
  });
});

describe('reconnectDelay', () => {
  it('backs off, stops when closed by hand, and gives up after retryAttempts', () => {
    let closed = false;
    const gaveUp: number[] = [];
    const role = { name: 't', blocking: false, isClosed: () => closed, onGiveUp: (n: number) => gaveUp.push(n) };
    const options = { url: 'redis://a:1', retryAttempts: 3, retryDelayMs: 100, maxRetryDelayMs: 1000 };
    const delay = reconnectDelay(options, role, 3);
    expect(delay).toBeGreaterThanOrEqual(200);
    expect(delay).toBeLessThanOrEqual(400);
    expect(reconnectDelay(options, role, 4)).toBeNull();
    expect(gaveUp).toEqual([3]);
    closed = true;
    expect(reconnectDelay(options, role, 1)).toBeNull();
    expect(reconnectDelay({ url: 'redis://a:1' }, { ...role, isClosed: () => false }, 10_000)).toBeLessThanOrEqual(5000);
  });
});
