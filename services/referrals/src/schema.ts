import { buildFederatedSchema, RequestContext } from '@integration-graph/common';
import { GraphQLSchema } from 'graphql';
import { referralById } from './loaders/referral-loaders';
import { CaseReferralsResolver, ReferralResolver } from './resolvers/referral-resolver';

export function buildReferralsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [ReferralResolver, CaseReferralsResolver] },
    {
      Referral: {
        __resolveReference: (reference: { id: string }, context: RequestContext) =>
          context.principal ? context.loaders.get(referralById).load(reference.id) : null,
      },
      // The case itself lives in the cases subgraph; here it only carries the key to hang referrals on.
      Case: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
    },
  );
}
