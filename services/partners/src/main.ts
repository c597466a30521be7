import { runSubgraph } from '@integration-graph/common';
import { partnersSubgraph } from './subgraph';

runSubgraph(partnersSubgraph);
