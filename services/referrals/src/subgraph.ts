import { SubgraphDefinition } from '@integration-graph/common';
import { Referral } from './entities/referral';
import { CreateReferrals1763900000000 } from './migrations/1763900000000-CreateReferrals';
import { buildReferralsSchema } from './schema';
import { seedDemoData } from './seed';

/** Closed-loop referrals (Vermittlungen) from integration management to partner organisations. */
export const referralsSubgraph: SubgraphDefinition = {
  name: 'referrals',
  defaultPort: 4003,
  entities: [Referral],
  migrations: [CreateReferrals1763900000000],
  buildSchema: buildReferralsSchema,
  seedDemoData,
};
