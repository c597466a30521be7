import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { REQUEST_ID_HEADER, requestIdFrom } from '../context';
import { requestScope } from './request-scope';

/**
 * First middleware of every process: takes the caller's x-request-id when it is well-formed (the gateway's, for a
 * subgraph) or makes one, puts it back on the request (so that later code reading the header sees the same id),
 * returns it in the response, and runs the rest of the request in its scope, so that every log line written on the
 * request's behalf carries it.
 */
export function requestIdMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    requestScope.run({ requestId }, next);
  };
}
