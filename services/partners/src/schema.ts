import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { Organization } from './entities/organization';
import { organizationById } from './loaders/organization-loaders';
import { OrganizationResolver } from './resolvers/organization-resolver';

export function buildPartnersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [OrganizationResolver], orphanedTypes: [Organization] },
    {
      Organization: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          context.loaders.get(organizationById).load(reference.id),
      },
    },
  );
}
