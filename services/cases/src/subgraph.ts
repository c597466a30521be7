import { SubgraphDefinition } from '@integration-graph/common';
import { Case } from './entities/case';
import { CreateCases1763900000000 } from './migrations/1763900000000-CreateCases';
import { buildCasesSchema } from './schema';
import { seedDemoData } from './seed';

/** Counselling cases (Beratungsfälle) and, as they grow, clients and integration plans. */
export const casesSubgraph: SubgraphDefinition = {
  name: 'cases',
  defaultPort: 4002,
  entities: [Case],
  migrations: [CreateCases1763900000000],
  buildSchema: buildCasesSchema,
  seedDemoData,
};
