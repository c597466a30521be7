/**
 * Errors as values: every request answers with a Result, never throws. The codes are few and stable; the server's
 * own code (extensions.code) stays available as serverCode for the details.
 */
export type ClientErrorCode =
  /** No token, or the token is not valid (expired, wrong signature): log in again. */
  | 'UNAUTHENTICATED'
  /** The caller may not do this (role, organisation, a rule of the data such as a missing consent), or the operation is not trusted. */
  | 'FORBIDDEN'
  /** Invalid input or an invalid request: `field` and `rule` name what is wrong. */
  | 'BAD_USER_INPUT'
  /** Someone else changed the record since it was read (expectedVersion): reload, apply again. */
  | 'CONFLICT'
  /** The record does not exist or is not visible to the caller. */
  | 'NOT_FOUND'
  /** Too many requests: wait `retryAfterSeconds`. */
  | 'RATE_LIMITED'
  /** The gateway could not be reached, did not answer in time, or answered with something that is not GraphQL. */
  | 'NETWORK'
  /** The server failed; quote `requestId` when reporting it. */
  | 'INTERNAL';

export interface ClientError {
  code: ClientErrorCode;
  /** For people (English, from the server). */
  message: string;
  /** The input field concerned (BAD_USER_INPUT, some FORBIDDEN), e.g. "input.durationMinutes". */
  field?: string;
  /** The rule broken, e.g. "consentRequired", "isUuid", "allowedTransition". */
  rule?: string;
  /** The correlation id of the request (x-request-id), to quote in a support request. */
  requestId?: string;
  /** extensions.code as the server sent it, e.g. GRAPHQL_VALIDATION_FAILED, OPERATION_NOT_TRUSTED. */
  serverCode?: string;
  /** RATE_LIMITED: seconds to wait before trying again. */
  retryAfterSeconds?: number;
  /** The path of the field the error belongs to, when it is a field error. */
  path?: ReadonlyArray<string | number>;
  /** HTTP status of the answer (0 when there was none). */
  status?: number;
  /** Every extension the server sent (expectedVersion, actualVersion, violations, ...). */
  extensions?: Record<string, unknown>;
}

/** A successful answer; `data` is complete. */
export interface Success<T> {
  ok: true;
  data: T;
}

/**
 * A failed answer: `error` is the first error, `errors` all of them; `data` holds what the server could still answer
 * (for example the fields of a subgraph that was up), or null.
 */
export interface Failure<T> {
  ok: false;
  error: ClientError;
  errors: ClientError[];
  data: T | null;
}

export type Result<T> = Success<T> | Failure<T>;

const CODES: Record<string, ClientErrorCode> = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  OPERATION_NOT_TRUSTED: 'FORBIDDEN',
  PERSISTED_QUERY_NOT_FOUND: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  PAYLOAD_TOO_LARGE: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
};

/** The client's code for a server's extensions.code and HTTP status. */
export function clientErrorCode(serverCode: string | undefined, status: number): ClientErrorCode {
  if (serverCode && CODES[serverCode]) return CODES[serverCode];
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'BAD_USER_INPUT';
  return 'INTERNAL';
}

interface GraphQLErrorLike {
  message?: unknown;
  path?: unknown;
  extensions?: Record<string, unknown>;
}

/** One GraphQL error of an answer as a ClientError. */
export function fromGraphQLError(error: GraphQLErrorLike, status: number, requestId?: string, retryAfter?: number): ClientError {
  const extensions = error.extensions ?? {};
  const serverCode = typeof extensions.code === 'string' ? extensions.code : undefined;
  const violations = Array.isArray(extensions.violations) ? (extensions.violations as { field?: unknown; rule?: unknown }[]) : [];
  const field = typeof extensions.field === 'string' ? extensions.field : typeof violations[0]?.field === 'string' ? (violations[0].field as string) : undefined;
  const rule = typeof extensions.rule === 'string' ? extensions.rule : typeof violations[0]?.rule === 'string' ? (violations[0].rule as string) : undefined;
  const retryAfterSeconds = typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : retryAfter;
  return {
    code: clientErrorCode(serverCode, serverCode ? 200 : status),
    message: typeof error.message === 'string' ? error.message : 'Unknown error',
    ...(field ? { field } : {}),
    ...(rule ? { rule } : {}),
    ...((typeof extensions.requestId === 'string' ? extensions.requestId : requestId) ? { requestId: (extensions.requestId as string | undefined) ?? requestId } : {}),
    ...(serverCode ? { serverCode } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(Array.isArray(error.path) ? { path: error.path as (string | number)[] } : {}),
    status,
    extensions,
  };
}

export function networkError(message: string, status = 0, requestId?: string): ClientError {
  return { code: 'NETWORK', message, status, ...(requestId ? { requestId } : {}) };
}
