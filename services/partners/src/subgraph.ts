import { SubgraphDefinition } from '@integration-graph/common';
import { ENTITIES } from './entities';
import { CreateOrganizations1763900000000 } from './migrations/1763900000000-CreateOrganizations';
import { DirectoryModel1763990000000 } from './migrations/1763990000000-DirectoryModel';
import { CooperationStandards1764200000000 } from './migrations/1764200000000-CooperationStandards';
import { buildPartnersSchema } from './schema';
import { seedDemoData } from './seed';

/** The partner directory (Partnerverzeichnis): organisations of the integration network. */
export const partnersSubgraph: SubgraphDefinition = {
  name: 'partners',
  defaultPort: 4001,
  entities: ENTITIES,
  migrations: [CreateOrganizations1763900000000, DirectoryModel1763990000000, CooperationStandards1764200000000],
  buildSchema: buildPartnersSchema,
  seedDemoData,
};
