import { combineJobs, startStatisticsPublication, SubgraphDefinition } from '@integration-graph/common';
import { ENTITIES } from './entities';
import { PublishedStatistics1765000000000 } from './migrations/1765000000000-PublishedStatistics';
import { CreateReferrals1763900000000 } from './migrations/1763900000000-CreateReferrals';
import { ReferralLoop1764100000000 } from './migrations/1764100000000-ReferralLoop';
import { ReferralMunicipality1764200000000 } from './migrations/1764200000000-ReferralMunicipality';
import { AuditTrail1764500000000 } from './migrations/1764500000000-AuditTrail';
import { AuditChainAsync1764800000000 } from './migrations/1764800000000-AuditChainAsync';
import { StatisticsFunctions1764300000000 } from './migrations/1764300000000-StatisticsFunctions';
import { MunicipalAppStatistics1764400000000 } from './migrations/1764400000000-MunicipalAppStatistics';
import { ReferralRetention1764600000000 } from './migrations/1764600000000-ReferralRetention';
import { startBackgroundJobs } from './outbox/jobs';
import { buildReferralsSchema } from './schema';
import { seedDemoData } from './seed';

/** Closed-loop referrals (Vermittlungen) from integration management to partner organisations. */
export const referralsSubgraph: SubgraphDefinition = {
  name: 'referrals',
  defaultPort: 4003,
  entities: ENTITIES,
  migrations: [CreateReferrals1763900000000, ReferralLoop1764100000000, ReferralMunicipality1764200000000, StatisticsFunctions1764300000000, MunicipalAppStatistics1764400000000, AuditTrail1764500000000, ReferralRetention1764600000000, AuditChainAsync1764800000000, PublishedStatistics1765000000000],
  buildSchema: buildReferralsSchema,
  seedDemoData,
  // Webhook delivery of the outbox and the response deadlines (OUTBOX_POLL_MS), retention (RETENTION_INTERVAL_MS).
  // The figures of large comparisons are published (STATISTICS_PUBLISH_INTERVAL_MS, docs/referrals.md "Statistics").
  startBackgroundJobs: (dataSource, logger) =>
    combineJobs(startBackgroundJobs(dataSource, logger), startStatisticsPublication(dataSource, logger.child({ job: 'statistics-publication' }))),
};
