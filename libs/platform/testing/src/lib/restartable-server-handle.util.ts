import { TempServerHandle, type StoppableServer } from './temp-server-handle.util';

export interface RestartableServer extends StoppableServer {
  readonly port: number;
  readonly host: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

/** A TempServerHandle of one server process on one loopback port, which can also be killed (-9) and restarted in place. */
export abstract class RestartableServerHandle<S extends RestartableServer> extends TempServerHandle<S> {
  get port(): number {
    return this.server.port;
  }

  get host(): string {
    return this.server.host;
  }

  kill(): Promise<void> {
    return this.server.kill();
  }

  restart(): Promise<void> {
    return this.server.restart();
  }
}
