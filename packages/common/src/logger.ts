import pino, { Logger } from 'pino';
import { env, LOG_LEVELS } from './config';
import { logScopeFields } from './observability/request-scope';

export type { Logger };

/**
 * Structured JSON logs on stdout, one line per event, with the process's name on every line, and, on every line
 * written while a request is handled, its request id (requestId; the gateway's, forwarded to the subgraphs in
 * x-request-id) and with tracing on the trace and span id (traceId, spanId).
 */
export function createLogger(name: string): Logger {
  const configured = env('LOG_LEVEL');
  // An unknown LOG_LEVEL is reported by the configuration check at start; the logger that reports it must exist.
  const level = configured && (LOG_LEVELS as readonly string[]).includes(configured) ? configured : env('NODE_ENV') === 'test' ? 'warn' : 'info';
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: logScopeFields,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], remove: true },
  });
}
