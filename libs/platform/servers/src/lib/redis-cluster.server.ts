import { execFile } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { requireRedisExecutable } from './executables.util';
import { getFreePort } from './free-port.util';
import { redisCommand } from './redis-command.util';
import { RedisServerProcess, type RedisServerOptions } from './redis.server';
import { waitFor } from './wait-for.util';

const execFileAsync = promisify(execFile);

/** Redis Cluster's bus listens on the client port + 10000. */
export const CLUSTER_BUS_OFFSET = 10_000;

export interface RedisClusterOptions {
  /** Each node gets `<baseDir>/node-<port>`. */
  baseDir: string;
  /** Number of masters (default 3, the minimum redis-cli accepts). */
  masters?: number;
  /** Explicit client ports (bus = port + 10000); default: free ports. */
  ports?: readonly number[];
  /** Passed to every node. */
  appendonly?: boolean;
  appendfsync?: RedisServerOptions['appendfsync'];
  /** How long start() waits for cluster_state:ok (default 30 s). */
  startTimeoutMs?: number;
}

export interface ClusterNodeAddress {
  host: string;
  port: number;
}

/** A Redis Cluster of N masters and no replicas, each a RedisServerProcess in its own dir. */
export class RedisClusterProcess {
  private servers: RedisServerProcess[] = [];

  constructor(private readonly options: RedisClusterOptions) {
    if (!isAbsolute(options.baseDir)) throw new Error(`Cluster baseDir must be an absolute path, got ${options.baseDir}`);
    const masters = options.masters ?? options.ports?.length ?? 3;
    if (!Number.isInteger(masters) || masters < 3) throw new Error(`A Redis Cluster needs at least 3 masters, got ${masters}`);
    if (options.ports && options.ports.length !== masters) throw new Error(`Got ${options.ports.length} ports for ${masters} masters`);
  }

  /** Seed nodes for ioredis' Cluster client. */
  get nodes(): ClusterNodeAddress[] {
    return this.servers.map((server) => ({ host: server.host, port: server.port }));
  }

  /** The node processes, e.g. to kill one in a failure test. */
  get nodeServers(): readonly RedisServerProcess[] {
    return this.servers;
  }

  /** Starts every node, creates the cluster on first start, resolves when all report cluster_state:ok. */
  async start(): Promise<void> {
    if (this.servers.length === 0) this.servers = await this.createServers();
    await Promise.all(this.servers.map((server) => server.start()));
    if (!(await this.slotsAssigned())) await this.createCluster();
    await waitFor(async () => (await Promise.all(this.servers.map((s) => clusterInfo(s)))).every((info) => info.cluster_state === 'ok'), {
      timeoutMs: this.options.startTimeoutMs ?? 30_000,
      intervalMs: 100,
      description: 'cluster_state:ok on every node',
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }

  async kill(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.kill()));
  }

  async stopNode(index: number): Promise<void> {
    await this.node(index).stop();
  }

  async killNode(index: number): Promise<void> {
    await this.node(index).kill();
  }

  /** Starts a stopped node again; it rejoins with its nodes.conf. */
  async startNode(index: number): Promise<void> {
    await this.node(index).start();
  }

  private node(index: number): RedisServerProcess {
    const server = this.servers[index];
    if (!server) throw new Error(`No cluster node ${index} (the cluster has ${this.servers.length})`);
    return server;
  }

  private async createServers(): Promise<RedisServerProcess[]> {
    const masters = this.options.masters ?? this.options.ports?.length ?? 3;
    const ports = [...(this.options.ports ?? [])];
    while (ports.length < masters) {
      const taken = ports.flatMap((p) => [p, p + CLUSTER_BUS_OFFSET]);
      ports.push(await getFreePort({ alsoFreeAt: [CLUSTER_BUS_OFFSET], exclude: taken.concat(taken.map((p) => p - CLUSTER_BUS_OFFSET)) }));
    }
    return ports.map(
      (port) =>
        new RedisServerProcess({
          port,
          dir: join(this.options.baseDir, `node-${port}`),
          cluster: true,
          appendonly: this.options.appendonly,
          appendfsync: this.options.appendfsync,
        }),
    );
  }

  private async slotsAssigned(): Promise<boolean> {
    const infos = await Promise.all(this.servers.map((server) => clusterInfo(server)));
    return infos.every((info) => info.cluster_slots_assigned === '16384');
  }

  private async createCluster(): Promise<void> {
    const cli = requireRedisExecutable('redis-cli');
    const addresses = this.servers.map((server) => `${server.host}:${server.port}`);
    await execFileAsync(cli, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 60_000 });
  }
}

async function clusterInfo(server: RedisServerProcess): Promise<Record<string, string>> {
  const text = String(await redisCommand(server.host, server.port, 'CLUSTER', 'INFO'));
  return Object.fromEntries(
    text
      .split(/\r?\n/)
      .map((line) => line.split(':'))
      .filter((parts): parts is [string, string] => parts.length === 2)
      .map(([key, value]) => [key.trim(), value.trim()]),
  );
}
