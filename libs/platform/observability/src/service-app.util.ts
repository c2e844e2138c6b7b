import { type CustomTransportStrategy } from '@nestjs/microservices';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Type } from '@nestjs/common';
import { type BaseEnv, describeConfig, type EnvSource, loadConfig, readEnvironment } from '@peerfed/platform/config';
import { type IncomingMessage } from 'node:http';
import { ConsumerHealthRegistry } from './consumer-health.registry';
import { HttpErrorFilter } from './http-error.filter';
import { instrumentHttp, REQUEST_ID_HEADER } from './http-instrumentation.util';
import { JsonLogger } from './json-logger.service';
import { MetricsService } from './metrics.service';
import { setupOpenApi } from './openapi.util';
import { type ConsumerHealthSource, type ReadinessIndicator } from './readiness.types';
import { resolveRequestId } from './request-id.util';
import { ServiceRootModule } from './service-root.module';
import { type ExitFunction, ShutdownService } from './shutdown.service';
import { createValidationPipe } from './validation.util';

export interface ServiceAppOptions<E extends BaseEnv> {
  /** Service name: `service` field of every log line, `service` label of every metric. */
  readonly name: string;
  /** The app's root module (its features and DatabaseModule). */
  readonly module: Type<unknown>;
  /** The app's env class (extends BaseEnv). */
  readonly env: new () => E;
  /** Variables that win over process.env (tests: PORT=0, DATABASE_URL of a throwaway server). */
  readonly overrides?: EnvSource;
  /** /health/ready indicators; Postgres, Redis and consumer loops by default. */
  readonly readiness?: readonly Type<ReadinessIndicator>[];
  /**
   * Transports hosted next to HTTP (the Redis Streams server). Each is connected with
   * app.connectMicroservice and, if it reports health(), checked by readiness.
   */
  readonly microservices?: (config: E, app: NestFastifyApplication) => readonly CustomTransportStrategy[];
  /** Install SIGTERM/SIGINT handlers (default true). */
  readonly handleSignals?: boolean;
  /** Called after a signal-driven shutdown; process.exit by default. */
  readonly exit?: ExitFunction;
  /** Where log lines go; stdout by default. */
  readonly writeLog?: (line: string) => void;
}

/**
 * The shared bootstrap of every Peerfed service: validated config (throws ConfigValidationError),
 * JSON logger, Fastify with request ids, metrics, health, error format, validation, OpenAPI,
 * hosted microservices, migrations (through the app's DatabaseModule) and graceful shutdown.
 * Returns the listening app.
 */
export async function createServiceApp<E extends BaseEnv>(options: ServiceAppOptions<E>): Promise<NestFastifyApplication> {
  const config = loadConfig(options.env, readEnvironment(options.overrides));
  const logger = new JsonLogger({ service: options.name, level: config.LOG_LEVEL, write: options.writeLog });
  const adapter = new FastifyAdapter({
    // Fastify would trust the header blindly; resolveRequestId validates it.
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => resolveRequestId(request.headers[REQUEST_ID_HEADER]),
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    ServiceRootModule.forRoot({ serviceName: options.name, config, appModule: options.module, readiness: options.readiness }),
    adapter,
    { logger, abortOnError: false },
  );
  try {
    logger.log({ msg: 'configuration loaded', config: describeConfig(config) }, 'Bootstrap');
    instrumentHttp(app.getHttpAdapter().getInstance(), logger, app.get(MetricsService));
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new HttpErrorFilter());
    setupOpenApi(app, options.name);

    const registry = app.get(ConsumerHealthRegistry);
    for (const strategy of options.microservices?.(config, app) ?? []) {
      app.connectMicroservice({ strategy });
      if (isConsumerHealthSource(strategy)) registry.register(strategy);
    }
    await app.startAllMicroservices();
    await app.listen(config.PORT, config.HOST);

    const shutdown = app.get(ShutdownService);
    shutdown.attach(app, { graceMs: config.SHUTDOWN_GRACE_MS });
    if (options.handleSignals ?? true) shutdown.listenForSignals(options.exit ?? ((code) => process.exit(code)));
    logger.log({ msg: `${options.name} listening`, url: await app.getUrl() }, 'Bootstrap');
    return app;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

function isConsumerHealthSource(value: object): value is ConsumerHealthSource {
  return typeof (value as Partial<ConsumerHealthSource>).health === 'function';
}
