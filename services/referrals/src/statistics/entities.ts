import { statisticsEntityReferences } from '@integration-graph/common';

/** The statistics entities of the cooperation meetings, owned by partners; referrals contributes its figures. */
export const { MunicipalityStatistics, ProviderStatistics, DistrictStatistics } = statisticsEntityReferences();
export type MunicipalityStatistics = InstanceType<typeof MunicipalityStatistics>;
export type ProviderStatistics = InstanceType<typeof ProviderStatistics>;
export type DistrictStatistics = InstanceType<typeof DistrictStatistics>;
