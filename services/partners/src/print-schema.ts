import path from 'node:path';
import { writeSubgraphSdl } from '@integration-graph/common';
import { partnersSubgraph } from './subgraph';

writeSubgraphSdl(partnersSubgraph, path.resolve(__dirname, '..', 'schema.graphql')).then(
  () => console.log('wrote services/partners/schema.graphql'),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
