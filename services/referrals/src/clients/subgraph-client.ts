import { env, envInt, ErrorCode, REQUEST_ID_HEADER, RequestContext } from '@integration-graph/common';
import { GraphQLError } from 'graphql';

/** The subgraphs referrals asks on the caller's behalf (the caller's token is forwarded; they check it themselves). */
export const SUBGRAPH_URLS = {
  cases: () => env('CASES_URL', 'http://127.0.0.1:4002/graphql')!,
  partners: () => env('PARTNERS_URL', 'http://127.0.0.1:4001/graphql')!,
};

const PASSED_ON = new Set<string>([ErrorCode.BadUserInput, ErrorCode.NotFound, ErrorCode.Forbidden, ErrorCode.Unauthenticated]);

/**
 * One GraphQL call to another subgraph as the caller, with the request id and a timeout. Client errors (bad input,
 * not found, forbidden) come back as the same errors; anything else is "unavailable", never a hang.
 */
export async function callSubgraph<T>(name: keyof typeof SUBGRAPH_URLS, context: RequestContext, query: string, variables: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(SUBGRAPH_URLS[name](), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [REQUEST_ID_HEADER]: context.requestId,
        ...(context.token ? { authorization: `Bearer ${context.token}` } : {}),
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
