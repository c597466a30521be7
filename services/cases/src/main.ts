import { runSubgraph } from '@integration-graph/common';
import { casesSubgraph } from './subgraph';

runSubgraph(casesSubgraph);
