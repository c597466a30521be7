import { AuditConfig, buildFederatedSchema, hasAnyRole, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { CASE_STAFF } from './auth/case-access';
import { caseById, clientById } from './loaders/case-loaders';
import { RESOLVERS } from './resolvers';
import { DistrictStatistics, MunicipalityStatistics, ProviderStatistics } from './statistics/entities';

/** Statistics entities of the partners subgraph: the representation (key and required fields) is all the figures need. */
const asIs = <T>(reference: T): T => reference;

/** Personal data of the cases subgraph: every field read on these types is recorded in the audit trail. */
export const CASES_AUDIT: AuditConfig = {
  service: 'cases',
  reads: {
    Client: {},
    Case: {},
    Household: {},
    HouseholdChild: {},
    Consent: {},
    IntegrationPlan: {},
    Goal: {},
    Measure: {},
    PlanRevision: {},
    Consultation: {},
  },
};

export function buildCasesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    // The statistics entities are reached through _entities only: listed so that type-graphql keeps them.
    { resolvers: RESOLVERS, orphanedTypes: [MunicipalityStatistics, ProviderStatistics, DistrictStatistics] },
    {
      // Another subgraph points at a case (e.g. Referral.case), or someone sends _entities: resolved only for case
      // staff (caseworkers, leads), and then only what row-level security lets them see; null for anyone else.
      Client: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          hasAnyRole(context.principal, CASE_STAFF) ? context.loaders.get(clientById).load(reference.id) : null,
      },
      Case: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          hasAnyRole(context.principal, CASE_STAFF) ? context.loaders.get(caseById).load(reference.id) : null,
      },
      // The statistics fields check the caller's role themselves (src/statistics/resolvers.ts).
      MunicipalityStatistics: { __resolveReference: asIs },
      ProviderStatistics: { __resolveReference: asIs },
      DistrictStatistics: { __resolveReference: asIs },
      // The id says whose trail it is; the fields check the caller (src/audit/audit-trail.ts).
      AuditTrail: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
    },
    CASES_AUDIT,
  );
}
