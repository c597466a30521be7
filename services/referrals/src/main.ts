import { runSubgraph } from '@integration-graph/common';
import { referralsSubgraph } from './subgraph';

runSubgraph(referralsSubgraph);
