import { PortInUseException } from '@peerfed/platform/servers';

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
