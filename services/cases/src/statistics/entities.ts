import { statisticsEntityReferences } from '@integration-graph/common';

/**
 * The statistics entities of the cooperation meetings, owned by partners; cases contributes the case figures
 * (src/statistics/resolvers.ts) and needs the providers' full-time equivalents for cases per position.
 */
export const { MunicipalityStatistics, ProviderStatistics, DistrictStatistics } = statisticsEntityReferences({ providerFullTimeEquivalents: true });
export type MunicipalityStatistics = InstanceType<typeof MunicipalityStatistics>;
export type ProviderStatistics = InstanceType<typeof ProviderStatistics>;
export type DistrictStatistics = InstanceType<typeof DistrictStatistics>;
