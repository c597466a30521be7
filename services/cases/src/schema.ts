import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { caseById } from './loaders/case-loaders';
import { CaseResolver } from './resolvers/case-resolver';

export function buildCasesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [CaseResolver] },
    {
      // Another subgraph points at a case (e.g. Referral.case): resolved only if the caller may see it.
      Case: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          context.principal ? context.loaders.get(caseById).load(reference.id) : null,
      },
    },
  );
}
