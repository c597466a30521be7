import path from 'node:path';
import { writeSubgraphSdl } from '@integration-graph/common';
import { casesSubgraph } from './subgraph';

writeSubgraphSdl(casesSubgraph, path.resolve(__dirname, '..', 'schema.graphql')).then(
  () => console.log('wrote services/cases/schema.graphql'),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
