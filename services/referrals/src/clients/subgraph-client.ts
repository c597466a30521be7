import { callSubgraph as callService, env, RequestContext } from '@integration-graph/common';

/** The subgraphs referrals asks on the caller's behalf (the caller's token is forwarded; they check it themselves). */
export const SUBGRAPH_URLS = {
  cases: () => env('CASES_URL', 'http://127.0.0.1:4002/graphql')!,
  partners: () => env('PARTNERS_URL', 'http://127.0.0.1:4001/graphql')!,
};

/** One GraphQL call to another subgraph as the caller (see callSubgraph in common). */
export function callSubgraph<T>(name: keyof typeof SUBGRAPH_URLS, context: RequestContext, query: string, variables: Record<string, unknown>): Promise<T> {
  return callService<T>(name, SUBGRAPH_URLS[name](), context, query, variables);
}
