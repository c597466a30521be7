import { GraphQLError } from 'graphql';
import { envInt } from '../config';
import { RequestContext, REQUEST_ID_HEADER } from '../context';
import { ErrorCode, unauthenticated } from '../errors';

const PASSED_ON = new Set<string>([ErrorCode.BadUserInput, ErrorCode.NotFound, ErrorCode.Forbidden, ErrorCode.Unauthenticated]);

/**
 * One GraphQL call to another subgraph as the caller, with the request id and a timeout. Client errors (bad input,
 * not found, forbidden) come back as the same errors; anything else is "unavailable", never a hang.
 */
export async function callSubgraph<T>(name: string, url: string, context: RequestContext, query: string, variables: Record<string, unknown>): Promise<T> {
  // Always on the caller's behalf, with the caller's token: the other subgraph refuses requests without one (only
  // the gateway may send those), so a call for a public caller is refused here rather than there.
  if (!context.token) throw unauthenticated(`Authentication required: the ${name} service is asked on behalf of an authenticated caller only`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [REQUEST_ID_HEADER]: context.requestId,
        authorization: `Bearer ${context.token}`,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(envInt('SUBGRAPH_TIMEOUT_MS', 10_000)),
    });
  } catch (error) {
    context.logger.error({ err: error, subgraph: name, requestId: context.requestId }, 'subgraph call failed');
    throw new GraphQLError(`The ${name} service is not reachable right now; nothing was changed. Try again shortly.`, {
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  const error = body.errors?.[0];
  if (error) {
    const code = String(error.extensions?.code ?? '');
    if (PASSED_ON.has(code)) throw new GraphQLError(error.message, { extensions: { ...error.extensions, code, stacktrace: undefined, source: name } });
    context.logger.error({ subgraph: name, error, requestId: context.requestId }, 'subgraph answered with an error');
    throw new GraphQLError(`The ${name} service could not answer; nothing was changed.`, { extensions: { code: 'SERVICE_UNAVAILABLE' } });
  }
  if (!body.data) throw new GraphQLError(`The ${name} service gave no answer; nothing was changed.`, { extensions: { code: 'SERVICE_UNAVAILABLE' } });
  return body.data;
}
