import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalStackConfig } from './local-config.util';
import { LocalStackException } from './local-stack.exception';
import { type ServiceSpec } from './service-supervisor.service';

/** The five services and their default HTTP ports (SPEC section 5). */
export const LOCAL_SERVICES = [
  { name: 'ingress', port: 3000 },
  { name: 'delivery', port: 3001 },
  { name: 'monitor', port: 3002 },
  { name: 'wallet', port: 3003 },
  { name: 'challenges', port: 3004 },
] as const;

export interface LocalServiceSpec extends ServiceSpec {
  port: number;
  /** What people open (localhost), as opposed to readyUrl which the runner probes (127.0.0.1). */
  url: string;
  healthUrl: string;
}

/** The built entry point of each service; fails naming the build command when one is missing. */
export function serviceEntryPoints(repoRoot: string): Map<string, string> {
  const entries = new Map(LOCAL_SERVICES.map((s) => [s.name as string, join(repoRoot, 'dist', 'apps', s.name, 'main.js')]));
  const missing = [...entries].filter(([, file]) => !existsSync(file)).map(([name]) => name);
  if (missing.length > 0) {
    throw new LocalStackException(
      `Not built: ${missing.join(', ')} (no dist/apps/<service>/main.js). Build first:\n\n  npx nx run-many -t build -p ${missing.join(' ')}\n\n(\`npm start\` builds everything before it runs.)`,
    );
  }
  return entries;
}

/** How each service is run: `node dist/apps/<svc>/main.js` with the stack's URLs in its env. */
export function buildServiceSpecs(
  config: Pick<LocalStackConfig, 'repoRoot' | 'publicUrl' | 'parentEnv'>,
  urls: { databaseUrl: string; redisUrl: string },
  entries: Map<string, string>,
): LocalServiceSpec[] {
  return LOCAL_SERVICES.map(({ name, port }) => {
    const entry = entries.get(name);
    if (!entry) throw new LocalStackException(`No entry point for ${name}`);
    return {
      name,
      port,
      command: process.execPath,
      args: [entry],
      cwd: config.repoRoot,
      env: {
        ...config.parentEnv,
        NODE_ENV: 'development',
        PUBLIC_URL: config.publicUrl,
        DATABASE_URL: urls.databaseUrl,
        REDIS_URL: urls.redisUrl,
        PORT: String(port),
      },
      url: `http://localhost:${port}`,
      healthUrl: `http://localhost:${port}/health/ready`,
      readyUrl: `http://127.0.0.1:${port}/health/ready`,
    };
  });
}
