import { combineJobs, startStatisticsPublication, SubgraphDefinition } from '@integration-graph/common';
import { ENTITIES } from './entities';
import { PublishedStatistics1765000000000 } from './migrations/1765000000000-PublishedStatistics';
import { CreateCases1763900000000 } from './migrations/1763900000000-CreateCases';
import { ClientsConsentsPlans1764000000000 } from './migrations/1764000000000-ClientsConsentsPlans';
import { ConsentCheckForRecipients1764100000000 } from './migrations/1764100000000-ConsentCheckForRecipients';
import { AuditTrail1764500000000 } from './migrations/1764500000000-AuditTrail';
import { AuditChainAsync1764800000000 } from './migrations/1764800000000-AuditChainAsync';
import { CoveringStatisticsIndexes1764900000000 } from './migrations/1764900000000-CoveringStatisticsIndexes';
import { StatisticsFunctions1764300000000 } from './migrations/1764300000000-StatisticsFunctions';
import { DataSubjectRights1764600000000 } from './migrations/1764600000000-DataSubjectRights';
import { RestrictionChecksPerQuery1764700000000 } from './migrations/1764700000000-RestrictionChecksPerQuery';
import { startCaseRetention } from './rights/retention-job';
import { MunicipalAppStatistics1764400000000 } from './migrations/1764400000000-MunicipalAppStatistics';
import { buildCasesSchema } from './schema';
import { seedDemoData } from './seed';

/** Counselling cases (Beratungsfälle) and, as they grow, clients and integration plans. */
export const casesSubgraph: SubgraphDefinition = {
  name: 'cases',
  defaultPort: 4002,
  entities: ENTITIES,
  migrations: [CreateCases1763900000000, ClientsConsentsPlans1764000000000, ConsentCheckForRecipients1764100000000, StatisticsFunctions1764300000000, MunicipalAppStatistics1764400000000, AuditTrail1764500000000, DataSubjectRights1764600000000, RestrictionChecksPerQuery1764700000000, AuditChainAsync1764800000000, CoveringStatisticsIndexes1764900000000, PublishedStatistics1765000000000],
  buildSchema: buildCasesSchema,
  seedDemoData,
  // Anonymises clients whose retention period after the last closed case has ended (RETENTION_INTERVAL_MS),
  // and publishes the figures of large comparisons (STATISTICS_PUBLISH_INTERVAL_MS, docs/cases.md "Statistics").
  startBackgroundJobs: (dataSource, logger) =>
    combineJobs(startCaseRetention(dataSource, logger), startStatisticsPublication(dataSource, logger.child({ job: 'statistics-publication' }))),
};
