import { AuditConfig, buildFederatedSchema, isCooperationMember, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { AuditTrail } from './audit/audit-trail';
import { Organization } from './entities/organization';
import { accommodationSiteById, offeringById } from './loaders/directory-loaders';
import { organizationById } from './loaders/organization-loaders';
import { RESOLVERS } from './resolvers';
import { loadMunicipality } from './resolvers/municipality-resolver';
import { loadDistrictStatistics } from './statistics/statistics-resolver';

/** The directory holds no personal data of clients: only its changes are recorded (every mutation is). */
export const PARTNERS_AUDIT: AuditConfig = { service: 'partners', reads: {} };

export function buildPartnersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: RESOLVERS, orphanedTypes: [Organization, AuditTrail] },
    {
      Organization: {
        __resolveReference: (reference: { id: string }, context: RequestContext) => context.loaders.get(organizationById).load(reference.id),
      },
      Offering: {
        __resolveReference: (reference: { id: string }, context: RequestContext) => context.loaders.get(offeringById).load(reference.id),
      },
      // The cases subgraph points at the site a client lives in; visible to people who work in the cooperation only.
      AccommodationSite: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          isCooperationMember(context.principal) ? context.loaders.get(accommodationSiteById).load(reference.id) : null,
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
      AuditTrail: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
    },
    PARTNERS_AUDIT,
  );
}
