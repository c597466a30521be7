import { GraphQLError } from 'graphql';
import { envInt } from '../config';
import { RequestContext, REQUEST_ID_HEADER } from '../context';
import { SERVICE_UNAVAILABLE } from '../db/availability';
import { ErrorCode, unauthenticated } from '../errors';

/** Errors of the other subgraph passed on as they are: the caller's mistakes, and the other one's database being down. */
const PASSED_ON = new Set<string>([ErrorCode.BadUserInput, ErrorCode.NotFound, ErrorCode.Forbidden, ErrorCode.Unauthenticated, SERVICE_UNAVAILABLE]);

/**
 * One GraphQL call to another subgraph as the caller, with the request id and a timeout (SUBGRAPH_TIMEOUT_MS,
 * default 10 s, the same as the gateway's: connecting, waiting and reading the answer together). Client errors (bad
 * input, not found, forbidden) come back as the same errors; anything else is SERVICE_UNAVAILABLE (extensions.reason
 * `unreachable`, `timeout` or `failed`), never a hang. The caller's request then fails and rolls back as a whole.
 */
export async function callSubgraph<T>(name: string, url: string, context: RequestContext, query: string, variables: Record<string, unknown>): Promise<T> {
  // Always on the caller's behalf, with the caller's token: the other subgraph refuses requests without one (only
  // the gateway may send those), so a call for a public caller is refused here rather than there.
  if (!context.token) throw unauthenticated(`Authentication required: the ${name} service is asked on behalf of an authenticated caller only`);
  const timeoutMs = envInt('SUBGRAPH_TIMEOUT_MS', 10_000);
  const signal = AbortSignal.timeout(timeoutMs);
  let body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [REQUEST_ID_HEADER]: context.requestId,
        authorization: `Bearer ${context.token}`,
      },
      body: JSON.stringify({ query, variables }),
      signal,
    });
    body = (await response.json().catch((error: unknown) => {
      if (signal.aborted) throw error;
      return {};
    })) as typeof body;
  } catch (error) {
    const timedOut = signal.aborted;
    context.logger.error({ err: error, subgraph: name, requestId: context.requestId, timedOut }, 'subgraph call failed');
    throw new GraphQLError(
      timedOut
        ? `The ${name} service did not answer within ${timeoutMs} ms (SUBGRAPH_TIMEOUT_MS); nothing was changed. Try again shortly.`
        : `The ${name} service is not reachable right now; nothing was changed. Try again shortly.`,
      { extensions: { code: 'SERVICE_UNAVAILABLE', reason: timedOut ? 'timeout' : 'unreachable', service: name } },
    );
  }
  const error = body.errors?.[0];
  if (error) {
    const code = String(error.extensions?.code ?? '');
    if (PASSED_ON.has(code)) throw new GraphQLError(error.message, { extensions: { ...error.extensions, code, stacktrace: undefined, source: name } });
    context.logger.error({ subgraph: name, error, requestId: context.requestId }, 'subgraph answered with an error');
    throw new GraphQLError(`The ${name} service could not answer; nothing was changed.`, { extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'failed', service: name } });
  }
  if (!body.data) throw new GraphQLError(`The ${name} service gave no answer; nothing was changed.`, { extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'failed', service: name } });
  return body.data;
}
