import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { Organization } from './entities/organization';
import { accommodationSiteById, offeringById } from './loaders/directory-loaders';
import { organizationById } from './loaders/organization-loaders';
import { RESOLVERS } from './resolvers';
import { loadMunicipality } from './resolvers/municipality-resolver';
import { loadDistrictStatistics } from './statistics/statistics-resolver';

export function buildPartnersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: RESOLVERS, orphanedTypes: [Organization] },
    {
      Organization: {
        __resolveReference: (reference: { id: string }, context: RequestContext) => context.loaders.get(organizationById).load(reference.id),
      },
      Offering: {
        __resolveReference: (reference: { id: string }, context: RequestContext) => context.loaders.get(offeringById).load(reference.id),
      },
      // The cases subgraph points at the site a client lives in; visible to authenticated callers only.
      AccommodationSite: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          context.principal ? context.loaders.get(accommodationSiteById).load(reference.id) : null,
      },
      // Statistics: the representation carries the key (and, after @requires, the other subgraphs' figures).
      MunicipalityStatistics: { __resolveReference: (reference: object) => reference },
      ProviderStatistics: { __resolveReference: (reference: object) => reference },
      DistrictStatistics: {
        __resolveReference: (reference: { districtId: string; period: string }, context: RequestContext) =>
          loadDistrictStatistics(context, reference.districtId, reference.period),
      },
      // Other subgraphs may point at a municipality by id or by its AGS.
      Municipality: {
        __resolveReference: (reference: { id?: string; ags?: string }, context: RequestContext) => loadMunicipality(context, reference),
      },
    },
  );
}
