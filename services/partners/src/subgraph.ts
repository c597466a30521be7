import { SubgraphDefinition } from '@integration-graph/common';
import { Organization } from './entities/organization';
import { CreateOrganizations1763900000000 } from './migrations/1763900000000-CreateOrganizations';
import { buildPartnersSchema } from './schema';
import { seedDemoData } from './seed';

/** The partner directory (Partnerverzeichnis): organisations of the integration network. */
export const partnersSubgraph: SubgraphDefinition = {
  name: 'partners',
  defaultPort: 4001,
  entities: [Organization],
  migrations: [CreateOrganizations1763900000000],
  buildSchema: buildPartnersSchema,
  seedDemoData,
};
