import { groupByKeys, isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { EntityTarget, FindOptionsOrder, FindOptionsWhere, In, ObjectLiteral } from 'typeorm';
import { AccommodationSite } from '../entities/accommodation-site';
import { FundingAllocation } from '../entities/funding-allocation';
import { IntegrationManagementResponsibility } from '../entities/responsibility';
import { StaffingPosition } from '../entities/staffing-position';

/**
 * A loader of all rows that belong to each of N parents (a municipality, a provider): one SELECT for all parents,
 * in the given order. Row-level security applies as always: internal rows the caller may not see are not loaded.
 */
function rowsBy<E extends ObjectLiteral, K extends keyof E & string>(
  entity: EntityTarget<E>,
  key: K,
  order: FindOptionsOrder<E>,
): LoaderFactory<string, E[]> {
  return (context) =>
    new DataLoader(async (ids) => {
      const manager = await context.tx.manager();
      const where = { [key]: In(ids.filter(isUuid)) } as FindOptionsWhere<E>;
      const rows = await manager.find(entity, { where, order });
      return groupByKeys(ids, rows, (row) => row[key] as string);
    });
}

/** Who provided integration management for each municipality, oldest period first (public). */
export const responsibilitiesByMunicipality = rowsBy(IntegrationManagementResponsibility, 'municipalityId', { validFrom: 'ASC' });

/** Staffing of each provider, oldest period first (internal: RLS shows coordinators and the provider's leads). */
export const staffingByProvider = rowsBy(StaffingPosition, 'providerOrganizationId', { validFrom: 'ASC' });

/** Funding allocations of each municipality by period, then program (internal: see funding_read in the migration). */
export const fundingByMunicipality = rowsBy(FundingAllocation, 'municipalityId', { periodStart: 'ASC', program: 'ASC', id: 'ASC' });

/** Follow-up accommodation sites of each municipality by name (people who work in the cooperation only). */
export const accommodationSitesByMunicipality = rowsBy(AccommodationSite, 'municipalityId', { name: 'ASC', id: 'ASC' });
