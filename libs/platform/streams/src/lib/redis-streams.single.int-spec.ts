import { startTestRedis } from '@peerfed/platform/testing';
import { describeTransportSuite } from '../testing-fixtures/transport-suite.util';

describeTransportSuite('Redis Streams transport on one Redis node', async () => {
  const redis = await startTestRedis();
  const admin = redis.client();
  return {
    target: { kind: 'single', connection: { url: redis.url }, admin, flushAll: async () => void (await admin.flushall()) },
    cleanup: () => redis.cleanup(),
  };
});
