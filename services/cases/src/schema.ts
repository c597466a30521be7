import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { caseById, clientById } from './loaders/case-loaders';
import { RESOLVERS } from './resolvers';
import { DistrictStatistics, MunicipalityStatistics, ProviderStatistics } from './statistics/entities';

/** Statistics entities of the partners subgraph: the representation (key and required fields) is all the figures need. */
const asIs = <T>(reference: T): T => reference;

export function buildCasesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    // The statistics entities are reached through _entities only: listed so that type-graphql keeps them.
    { resolvers: RESOLVERS, orphanedTypes: [MunicipalityStatistics, ProviderStatistics, DistrictStatistics] },
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
      // The statistics fields check the caller's role themselves (src/statistics/resolvers.ts).
      MunicipalityStatistics: { __resolveReference: asIs },
      ProviderStatistics: { __resolveReference: asIs },
      DistrictStatistics: { __resolveReference: asIs },
    },
  );
}
