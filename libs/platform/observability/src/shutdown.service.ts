import { type INestApplicationContext, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';

export interface ShutdownSettings {
  /** How long readiness answers 503 before the app closes. */
  readonly graceMs: number;
}

export type ExitFunction = (code: number) => void;

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Graceful shutdown: readiness turns 503 at once (load balancers stop sending traffic), then
 * after the grace period app.close() lets Fastify finish in-flight requests, drains the
 * microservices and closes the database and Redis connections. A second signal exits at once.
 */
@Injectable()
export class ShutdownService implements OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private draining = false;
  private closing: Promise<void> | undefined;
  private target: { app: INestApplicationContext; settings: ShutdownSettings } | undefined;
  private removeSignalHandlers: (() => void) | undefined;

  /** True from the first signal (or shutdown() call) on; /health/ready answers 503. */
  get isDraining(): boolean {
    return this.draining;
  }

  attach(app: INestApplicationContext, settings: ShutdownSettings): void {
    this.target = { app, settings };
  }

  /** Idempotent: later calls return the same promise. */
  shutdown(reason = 'shutdown requested'): Promise<void> {
    this.closing ??= this.drainAndClose(reason);
    return this.closing;
  }

  /** Installs SIGTERM/SIGINT handlers; removed again when the app closes. */
  listenForSignals(exit: ExitFunction): void {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (this.closing) {
        this.logger.warn(`${signal} received again: exiting immediately`);
        exit(1);
        return;
      }
      this.shutdown(`${signal} received`).then(
        () => exit(0),
        (error: unknown) => {
          this.logger.error({ msg: 'shutdown failed', err: error });
          exit(1);
        },
      );
    };
    for (const signal of SIGNALS) process.on(signal, onSignal);
    this.removeSignalHandlers = () => SIGNALS.forEach((signal) => process.off(signal, onSignal));
  }

  onApplicationShutdown(): void {
    this.removeSignalHandlers?.();
    this.removeSignalHandlers = undefined;
  }

  private async drainAndClose(reason: string): Promise<void> {
    if (!this.target) throw new Error('ShutdownService.attach() was not called');
    const { app, settings } = this.target;
    this.draining = true;
    this.logger.log({ msg: `${reason}: readiness is 503, closing in ${settings.graceMs} ms`, graceMs: settings.graceMs });
    if (settings.graceMs > 0) await delay(settings.graceMs);
    await app.close();
    this.logger.log('closed');
  }
}
