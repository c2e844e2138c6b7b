import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving one request (or handling one message) carries. */
export interface RequestContext {
  readonly reqId: string;
  readonly traceId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it awaits or schedules) inside the given context. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
