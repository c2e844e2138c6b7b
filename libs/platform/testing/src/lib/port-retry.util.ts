import { getFreePort, PortInUseException } from '@peerfed/platform/servers';

/**
 * Free ports are picked then bound later, so a parallel test can take one in between.
 * Runs `attempt` again (it picks a new port) when the port turned out to be taken.
 */
export async function retryOnPortClash<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PortInUseException) || i >= attempts) throw error;
    }
  }
}

/** Creates a server on a free port and starts it, with a new port when the first was taken meanwhile. */
export function startOnFreePort<S extends { start(): Promise<void> }>(create: (port: number) => S): Promise<S> {
  return retryOnPortClash(async () => {
    const server = create(await getFreePort());
    await server.start();
    return server;
  });
}
