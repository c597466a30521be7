import { AuditConfig, buildFederatedSchema, hasAnyRole, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { AuditTrail } from './audit/audit-trail';
import { referralById } from './loaders/referral-loaders';
import { RESOLVERS } from './resolvers';
import { REFERRAL_READERS } from './resolvers/referral-resolver';
import { DistrictStatistics, MunicipalityStatistics, ProviderStatistics } from './statistics/entities';

const keyOnly = (reference: { id: string }) => ({ id: reference.id });
const asIs = <T extends object>(reference: T): T => reference;

/** Personal data of the referrals subgraph: every field read on a referral (its snapshot included) is recorded. */
export const REFERRALS_AUDIT: AuditConfig = { service: 'referrals', reads: { Referral: {} } };

export function buildReferralsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    // The statistics entities are reached through _entities only, not from Query.
    { resolvers: RESOLVERS, orphanedTypes: [MunicipalityStatistics, ProviderStatistics, DistrictStatistics, AuditTrail] },
    {
      // Resolved for the two sides only (case staff, partner staff), then as row-level security allows; null otherwise.
      Referral: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          hasAnyRole(context.principal, REFERRAL_READERS) ? context.loaders.get(referralById).load(reference.id) : null,
      },
      // Entities of other subgraphs: here they only carry the key to hang referral fields on.
      Case: { __resolveReference: keyOnly },
      Organization: { __resolveReference: keyOnly },
      Offering: { __resolveReference: keyOnly },
      // Statistics entities of partners (issue 6): the representation as is (key, and for districts what @requires brings).
      MunicipalityStatistics: { __resolveReference: asIs },
      ProviderStatistics: { __resolveReference: asIs },
      DistrictStatistics: { __resolveReference: asIs },
      // The trail's id and, for a client, the case ids the cases subgraph resolved (@requires).
      AuditTrail: { __resolveReference: asIs },
    },
    REFERRALS_AUDIT,
  );
}
