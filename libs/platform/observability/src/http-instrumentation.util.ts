import { type LoggerService } from '@nestjs/common';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { AsyncResource } from 'node:async_hooks';
import { type MetricsService } from './metrics.service';
import { runWithRequestContext } from './request-context.util';
import { traceIdFrom } from './request-id.util';

export const REQUEST_ID_HEADER = 'x-request-id';
// Probes and scrapes hit these every few seconds: their access log lines go to debug.
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Fastify hooks for every request: echo the request id, run the request inside its
 * AsyncLocalStorage context (so every log line of the request carries reqId/traceId),
 * record the duration histogram and write one access log line.
 */
export function instrumentHttp(fastify: FastifyInstance, logger: LoggerService, metrics: MetricsService): void {
  const scopes = new WeakMap<FastifyRequest, AsyncResource>();

  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    // Probes and scrapes log no line of their own but the access line (which names reqId). The first
    // AsyncLocalStorage.run() turns on promise hooks for the process's life (Node 20), so a service
    // whose only HTTP traffic is probes (delivery) would make every promise of its
    // stream consumers pay for a context nobody reads.
    if (QUIET_ROUTES.has(request.routeOptions.url ?? '')) {
      done();
      return;
    }
    runWithRequestContext({ reqId: request.id, traceId: traceIdFrom(request.headers.traceparent) }, () => {
      const scope = new AsyncResource('peerfed.http-request');
      scopes.set(request, scope);
      scope.runInAsyncScope(done);
    });
  });

  // Body parsing continues in the socket's async context; re-enter the request's before the handler.
  fastify.addHook('preHandler', (request, _reply, done) => {
    const scope = scopes.get(request);
    if (scope) scope.runInAsyncScope(done);
    else done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const line = {
      msg: 'request completed',
      reqId: request.id,
      method: request.method,
      url: request.url,
      route,
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (QUIET_ROUTES.has(route)) logger.debug?.(line, 'HTTP');
    else logger.log(line, 'HTTP');
    done();
  });
}
