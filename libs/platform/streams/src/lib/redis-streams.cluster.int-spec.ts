import { type Cluster } from 'ioredis';
import { startTestRedisCluster } from '@peerfed/platform/testing';
import { describeTransportSuite } from '../testing-fixtures/transport-suite.util';

describeTransportSuite('Redis Streams transport on a three-master Redis Cluster', async () => {
  const cluster = await startTestRedisCluster();
  const admin: Cluster = cluster.client();
  await admin.ping();
  return {
    target: {
      kind: 'cluster',
      connection: { cluster: cluster.nodes },
      admin,
      flushAll: async () => {
        await Promise.all(admin.nodes('master').map((node) => node.flushall()));
      },
    },
    cleanup: () => cluster.cleanup(),
  };
});
