import path from 'node:path';
import { writeSubgraphSdl } from '@integration-graph/common';
import { referralsSubgraph } from './subgraph';

writeSubgraphSdl(referralsSubgraph, path.resolve(__dirname, '..', 'schema.graphql')).then(
  () => console.log('wrote services/referrals/schema.graphql'),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
