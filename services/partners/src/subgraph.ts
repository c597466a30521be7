import { SubgraphDefinition } from '@integration-graph/common';
import { ENTITIES } from './entities';
import { CreateOrganizations1763900000000 } from './migrations/1763900000000-CreateOrganizations';
import { DirectoryModel1763990000000 } from './migrations/1763990000000-DirectoryModel';
import { CooperationStandards1764200000000 } from './migrations/1764200000000-CooperationStandards';
import { MunicipalApp1764400000000 } from './migrations/1764400000000-MunicipalApp';
import { AuditTrail1764500000000 } from './migrations/1764500000000-AuditTrail';
import { AuditChainAsync1764800000000 } from './migrations/1764800000000-AuditChainAsync';
import { buildPartnersSchema } from './schema';
import { seedDemoData } from './seed';

/** The partner directory (Partnerverzeichnis): organisations of the integration network. */
export const partnersSubgraph: SubgraphDefinition = {
  name: 'partners',
  defaultPort: 4001,
  entities: ENTITIES,
  migrations: [CreateOrganizations1763900000000, DirectoryModel1763990000000, CooperationStandards1764200000000, MunicipalApp1764400000000, AuditTrail1764500000000, AuditChainAsync1764800000000],
  buildSchema: buildPartnersSchema,
  seedDemoData,
};
