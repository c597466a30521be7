import { GraphQLError } from 'graphql';

/**
 * What went wrong with the database, as far as a caller should know: `unavailable` (the server cannot be reached,
 * is starting or stopping, or the connection broke), `timeout` (a statement ran past DB_STATEMENT_TIMEOUT_MS, or no
 * connection within DB_CONNECT_TIMEOUT_MS), or null for anything else (a constraint, a bug: not ours to explain).
 */
export type DatabaseFailure = 'unavailable' | 'timeout';

/** Connection-level errors of Node's sockets. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, shutting down, in recovery), 53300 too_many_connections.
 */
function unavailableState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** The messages node-postgres and pg-pool use for a connection that broke or never came (they carry no code). */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /terminating connection due to/,
  /the database system is (starting up|shutting down|in recovery mode)/,
];
const TIMEOUT_MESSAGES = [/^timeout exceeded when trying to connect/, /Connection terminated due to connection timeout/];

/** TypeORM wraps the driver's error (driverError); Apollo wraps a resolver's (originalError); Node chains (cause). */
function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.includes(current) && seen.length < 8) {
    seen.push(current);
    const e = current as { driverError?: unknown; originalError?: unknown; cause?: unknown };
    current = e.driverError ?? e.originalError ?? e.cause;
  }
  return seen;
}

/** Classifies an error thrown by a query, a connect or a commit (see DatabaseFailure). */
export function databaseFailure(error: unknown): DatabaseFailure | null {
  for (const e of chain(error)) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (TIMEOUT_MESSAGES.some((pattern) => pattern.test(text))) return 'timeout';
    if (code === '57014' && /statement timeout/.test(text)) return 'timeout';
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && unavailableState(code)))) return 'unavailable';
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(text))) return 'unavailable';
    // AggregateError of a connect to several addresses (Node's autoSelectFamily)
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => databaseFailure(inner) === 'unavailable')) return 'unavailable';
  }
  return null;
}

/** The code of an error a service returns when it cannot do its part right now (its database, another service). */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/**
 * The error a caller gets for a database failure: what happened and whether it may retry, never the server's address
 * or the SQL. `extensions.reason` is `database-unavailable` or `database-timeout`.
 */
export function databaseUnavailableError(
  service: string,
  failure: DatabaseFailure,
  options: { path?: readonly (string | number)[]; duringCommit?: boolean } = {},
): GraphQLError {
  const message = options.duringCommit
    ? `The ${service} database became unreachable while the change was being saved: it may or may not have been saved. ` +
      'Retry with the same idempotencyKey (or read the record again) once it is back.'
    : failure === 'timeout'
      ? `The ${service} database did not answer in time; nothing was changed. Try again shortly, or ask for less at once.`
      : `The ${service} database is not reachable right now; nothing was changed. Try again shortly.`;
  return new GraphQLError(message, {
    path: options.path,
    extensions: { code: SERVICE_UNAVAILABLE, reason: failure === 'timeout' ? 'database-timeout' : 'database-unavailable', service },
  });
}
