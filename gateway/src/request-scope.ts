import { REQUEST_ID_HEADER, requestIdFrom, requestScope } from '@integration-graph/common';
import type { NextFunction, Request, Response } from 'express';

// The scope the shared logger reads (packages/common/src/observability/request-scope.ts): every log line written
// while a request is answered carries its requestId.
const scope = requestScope;

/**
 * The request id of the request being answered, for code that has no request at hand: Apollo's formatError (every
 * error the gateway returns carries it as `extensions.requestId`, the correlation id a caller can quote) and the
 * gateway's own error responses (413, 429, ...).
 */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** Takes a well-formed x-request-id from the caller or makes one, sends it back, and opens the request's scope. */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  res.locals.requestId = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  scope.run({ requestId }, next);
}

/**
 * Enters the request's scope again. Reading a body continues in the socket's async context (stream events), not
 * in the middleware's, so the scope is re-entered after the body parser.
 */
export function reenterRequestScope(_req: Request, res: Response, next: NextFunction): void {
  const requestId = res.locals.requestId as string | undefined;
  if (requestId) scope.run({ requestId }, next);
  else next();
}

/** An error response in the shape of a GraphQL response (`{ errors: [...] }`), with the request id. */
export function sendGraphQLError(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  const requestId = res.locals.requestId as string | undefined;
  res
    .status(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ errors: [{ message, extensions: { ...extensions, ...(requestId ? { requestId } : {}) } }] }));
}
