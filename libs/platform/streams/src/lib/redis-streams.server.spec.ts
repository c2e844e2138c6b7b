import { type MessageHandler } from '@nestjs/microservices';
import { defineStream } from '@peerfed/shared/contracts';
import { Registry } from 'prom-client';
import { RedisStreamsServer } from './redis-streams.server';

class Item {}
const Items = defineStream({ stream: 'unit.items.v1', type: 'item.added', schemaVersion: 1, payload: Item });
const handler = (async () => undefined) as MessageHandler;

function listen(server: RedisStreamsServer): Promise<unknown> {
  return new Promise((resolve) => void server.listen((error?: unknown) => resolve(error)));
}

describe('RedisStreamsServer', () => {
  const base = { url: 'redis://127.0.0.1:1', group: 'workers', registry: new Registry() };

  it('rejects bad options with the name of the option', () => {
    expect(() => new RedisStreamsServer({ ...base, group: 'no spaces' })).toThrow(/Invalid consumer group "no spaces"/);
    expect(() => new RedisStreamsServer({ ...base, maxBatchSize: 0 })).toThrow(/maxBatchSize must be an integer >= 1/);
    expect(() => new RedisStreamsServer({ ...base, claimIdleMs: 1.5 })).toThrow(/claimIdleMs/);
  });

  it('fails listen() when both or neither of url and cluster are given', async () => {
    const both = new RedisStreamsServer({ ...base, cluster: [{ host: '127.0.0.1', port: 1 }] });
    expect(String(await listen(both))).toMatch(/exactly one of `url` \(one node\) or `cluster`/);
  });

  it('names the consumer after host and process unless told', () => {
    expect(new RedisStreamsServer(base).consumerName).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
    expect(new RedisStreamsServer({ ...base, consumer: 'pod-7' }).consumerName).toBe('pod-7');
  });

  it('refuses to listen to a stream without a contract, or with the wrong one', async () => {
    const server = new RedisStreamsServer(base);
    server.addHandler(Items.stream, handler, true);
    expect(String(await listen(server))).toMatch(/No contract for stream "unit.items.v1"/);

    const other = new RedisStreamsServer({ ...base, contracts: [Items] });
    other.addHandler('unit.other.v1', handler, true, { contract: Items });
    expect(String(await listen(other))).toMatch(/Handler for "unit.other.v1" names the contract of "unit.items.v1"/);

    const bad = new RedisStreamsServer(base);
    bad.addHandler('NotAStream', handler, true, { contract: Items });
    expect(String(await listen(bad))).toMatch(/Invalid stream name "NotAStream"/);
  });

  it('reports down before it listens, and unwrap() says why it cannot', () => {
    const server = new RedisStreamsServer(base);
    expect(server.health()).toEqual({ up: false, loops: [] });
    expect(() => server.unwrap()).toThrow(/Not initialized/);
  });

  it('fails listen() with the connection error when Redis is unreachable', async () => {
    const server = new RedisStreamsServer({ ...base, contracts: [Items], retryAttempts: 0 });
    server.addHandler(Items.stream, handler, true);
    expect(String(await listen(server))).toMatch(/ECONNREFUSED|Connection is closed/);
    await server.close();
  });
});
