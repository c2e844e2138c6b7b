import { type EventEmitter } from 'node:events';
import { registerCleanup } from './cleanup-registry.util';
import { removeDir } from './temp-dir.util';

export interface StoppableServer {
  stop(): Promise<void>;
}

type TrackedClient = EventEmitter & { disconnect(): void };

/**
 * What every test-server handle shares: it registers itself for cleanupTestServers(), tracks the
 * clients it hands out, and cleanup() (idempotent) disconnects them, stops the server and removes
 * its temp dir.
 */
export abstract class TempServerHandle<S extends StoppableServer> {
  private readonly clients = new Set<TrackedClient>();
  private cleaned: Promise<void> | undefined;
  private readonly unregister: () => void;

  constructor(
    readonly server: S,
    private readonly tempDir: string,
  ) {
    this.unregister = registerCleanup(() => this.cleanup());
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  cleanup(): Promise<void> {
    this.cleaned ??= (async () => {
      this.unregister();
      for (const client of this.clients) client.disconnect();
      this.clients.clear();
      try {
        await this.server.stop();
      } finally {
        removeDir(this.tempDir);
      }
    })();
    return this.cleaned;
  }

  /** Disconnected by cleanup() unless it ended before. */
  protected track<C extends TrackedClient>(client: C): C {
    this.clients.add(client);
    client.once('end', () => this.clients.delete(client));
    return client;
  }
}
