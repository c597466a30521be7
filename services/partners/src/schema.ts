import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { Organization } from './entities/organization';
import { organizationById } from './loaders/organization-loaders';
import { RESOLVERS } from './resolvers';

export function buildPartnersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: RESOLVERS, orphanedTypes: [Organization] },
    {
      Organization: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          context.loaders.get(organizationById).load(reference.id),
      },
    },
  );
}
