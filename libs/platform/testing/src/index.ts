// Test harness: throwaway real servers for *.int-spec.ts. Import only from test files.
export { startTestRedis, type TestRedis, type TestRedisOptions } from './lib/test-redis.util';
export { useTestRedis, type TestRedisFixture } from './lib/use-test-redis.util';
export { startTestPostgres, type TestPostgres, type TestPostgresOptions } from './lib/test-postgres.util';
export { startTestRedisCluster, type TestRedisCluster, type TestRedisClusterOptions } from './lib/test-redis-cluster.util';
export { TcpProxy, type TcpProxyMode, type TcpProxyTarget } from './lib/tcp-proxy.server';
export { cleanupTestServers, registerCleanup } from './lib/cleanup-registry.util';
export { makeTempDir, removeDir } from './lib/temp-dir.util';
export { getFreePort, waitFor, sleep } from '@peerfed/platform/servers';
export { describeServiceBoot, type ServiceBootSuiteOptions } from './lib/service-boot.suite';
