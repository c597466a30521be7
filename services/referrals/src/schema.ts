import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { referralById } from './loaders/referral-loaders';
import { RESOLVERS } from './resolvers';

const keyOnly = (reference: { id: string }) => ({ id: reference.id });

export function buildReferralsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: RESOLVERS },
    {
      Referral: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          context.principal ? context.loaders.get(referralById).load(reference.id) : null,
      },
      // Entities of other subgraphs: here they only carry the key to hang referral fields on.
      Case: { __resolveReference: keyOnly },
      Organization: { __resolveReference: keyOnly },
      Offering: { __resolveReference: keyOnly },
    },
  );
}
