import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { Organization } from './entities/organization';
import { offeringById } from './loaders/directory-loaders';
import { organizationById } from './loaders/organization-loaders';
import { RESOLVERS } from './resolvers';
import { loadMunicipality } from './resolvers/municipality-resolver';

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
      // Other subgraphs may point at a municipality by id or by its AGS.
      Municipality: {
        __resolveReference: (reference: { id?: string; ags?: string }, context: RequestContext) => loadMunicipality(context, reference),
      },
    },
  );
}
