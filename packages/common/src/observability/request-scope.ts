import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while a request is handled carries (see createLogger's mixin). */
export interface RequestScope {
  requestId: string;
}

/**
 * The request being handled, for everything that runs on its behalf (resolvers, DataLoaders, database calls,
 * subgraph calls): set by requestIdMiddleware, read by the logger. Plain AsyncLocalStorage, so it follows awaits
 * and callbacks without being passed around.
 */
export const requestScope = new AsyncLocalStorage<RequestScope>();

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

/**
 * Extra fields for every log line: the trace and span id of the active span while tracing is on (set by
 * initTracing, so that no OpenTelemetry code is loaded when tracing is off).
 */
let traceFields: (() => Record<string, string> | undefined) | undefined;

export function setLogTraceFields(fields: (() => Record<string, string> | undefined) | undefined): void {
  traceFields = fields;
}

/** The request id and (with tracing) trace ids of the code that is running now, for the log line being written. */
export function logScopeFields(): Record<string, string> {
  const scope = requestScope.getStore();
  const fields: Record<string, string> = scope ? { requestId: scope.requestId } : {};
  if (traceFields) Object.assign(fields, traceFields());
  return fields;
}
