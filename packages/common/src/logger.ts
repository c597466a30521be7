import pino, { Logger } from 'pino';
import { env } from './config';

export type { Logger };

/** Structured JSON logs on stdout, one line per event, with the process's name on every line. */
export function createLogger(name: string): Logger {
  return pino({
    name,
    level: env('LOG_LEVEL', env('NODE_ENV') === 'test' ? 'warn' : 'info'),
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], remove: true },
  });
}
