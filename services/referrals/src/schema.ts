import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { referralById } from './loaders/referral-loaders';
import { RESOLVERS } from './resolvers';
import { DistrictStatistics, MunicipalityStatistics, ProviderStatistics } from './statistics/entities';

const keyOnly = (reference: { id: string }) => ({ id: reference.id });
const asIs = <T extends object>(reference: T): T => reference;

export function buildReferralsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    // The statistics entities are reached through _entities only, not from Query.
    { resolvers: RESOLVERS, orphanedTypes: [MunicipalityStatistics, ProviderStatistics, DistrictStatistics] },
    {
      Referral: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          context.principal ? context.loaders.get(referralById).load(reference.id) : null,
      },
      // Entities of other subgraphs: here they only carry the key to hang referral fields on.
      Case: { __resolveReference: keyOnly },
      Organization: { __resolveReference: keyOnly },
      Offering: { __resolveReference: keyOnly },
      // Statistics entities of partners (issue 6): the representation as is (key, and for districts what @requires brings).
      MunicipalityStatistics: { __resolveReference: asIs },
      ProviderStatistics: { __resolveReference: asIs },
      DistrictStatistics: { __resolveReference: asIs },
    },
  );
}
