import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { caseById, clientById } from './loaders/case-loaders';
import { RESOLVERS } from './resolvers';

export function buildCasesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: RESOLVERS },
    {
      // Another subgraph points at a case (e.g. Referral.case): resolved only if the caller may see it.
      Client: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          context.principal ? context.loaders.get(clientById).load(reference.id) : null,
      },
      Case: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          context.principal ? context.loaders.get(caseById).load(reference.id) : null,
      },
    },
  );
}
